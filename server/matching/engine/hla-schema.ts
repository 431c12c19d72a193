import { z } from "zod";

const antigens = z.array(z.string().min(1).max(20)).max(2, "at most two antigens per locus");

/** HLA typing as entered: antigen names per locus (validated by name in the donor/candidate schemas). */
export const ZHlaTypingSchema = z.object({
  A: antigens,
  B: antigens,
  C: antigens.default([]),
  DR: antigens,
  DQ: antigens.default([]),
  DP: antigens.default([]),
});
export type THlaTyping = z.infer<typeof ZHlaTypingSchema>;

export const ZLatLonSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
