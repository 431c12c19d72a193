import { z } from "zod";

const antigens = z.array(z.string().min(1).max(20)).max(2, "at most two antigens per locus");

/** HLA typing as entered: antigen names per locus (validated by name in the donor/candidate schemas). */
export const ZHlaTypingSchema = z.object({
  A: antigens,
  B: antigens,
  C: antigens.default([]),
  /** DRB1; DR51/52/53 written here are read at DRB345 (the DRB1 limit of two is checked by name). */
  DR: z.array(z.string().min(1).max(20)).max(4, "at most two DRB1 and two DRB3/4/5 antigens"),
  /** DRB3/4/5 products: DR52, DR53, DR51 (or DRB3*, DRB4*, DRB5* alleles). */
  DRB345: antigens.optional(),
  DQ: antigens.default([]),
  DP: antigens.default([]),
});
export type THlaTyping = z.infer<typeof ZHlaTypingSchema>;

export const ZLatLonSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
