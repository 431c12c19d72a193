import { z } from "zod";
import { AppError } from "@/server/errors";
import { KDRI_POLICY_RAO_SYNTHETIC_2024, type TKdriPolicy } from "../policies/kdri-policy";
import { type TDonorAbo, ZDonorAboSchema } from "../rules/abo-compatibility";
import { parseHlaTyping, type TParsedHlaTyping } from "../rules/hla-antigens";
import { kdpi, ZKdriInputsSchema } from "../rules/kdri";
import { ZHlaTypingSchema, ZLatLonSchema } from "./hla-schema";

/** Deceased-donor facts a match run needs (a boundary input). */
export const ZDonorSchema = ZKdriInputsSchema.extend({
  id: z.string().min(1),
  abo: ZDonorAboSchema,
  hla: ZHlaTypingSchema,
  sex: z.enum(["F", "M"]),
  hbv: z.boolean(),
  hiv: z.boolean(),
  location: ZLatLonSchema,
  country: z.string().length(2),
  region: z.string().min(1),
  /** The transplant centre the donor is allocated from ("local" in ESP's Austria and Belgium). */
  allocationCentreId: z.string().min(1).optional(),
  /** ESP subregion the donor is reported in (Germany, Hungary). */
  espSubregion: z.string().min(1).max(40).optional(),
  /**
   * Balance input for a policy with balance points: net kidneys imported (+) or exported (−) per
   * country, and per centre of a country with regional balance, for the donor's age group.
   */
  balance: z
    .object({
      group: z.string().min(1).max(20),
      national: z.record(z.string().length(2), z.number().int().min(-100_000).max(100_000)),
      regional: z.record(z.string().min(1), z.number().int().min(-100_000).max(100_000)).default({}),
    })
    .optional(),
}).superRefine((d, ctx) => {
  const typing = parseHlaTyping(d.hla);
  if (!typing.ok)
    for (const message of typing.errors) ctx.addIssue({ code: "custom", path: ["hla"], message });
});
export type TDonor = z.infer<typeof ZDonorSchema>;

export type TPreparedDonor = TDonor & {
  hlaTyping: TParsedHlaTyping;
  kdriRao: number;
  kdri: number;
  kdpi: number;
  kdriPolicy: { id: string; version: number };
};

/**
 * Validates a donor, parses the HLA and computes KDRI/KDPI with the given reference data (recorded
 * in the result so a replay uses the same table). Throws AppError naming each bad field.
 */
export function prepareDonor(
  input: unknown,
  kdriPolicy: TKdriPolicy = KDRI_POLICY_RAO_SYNTHETIC_2024,
): TPreparedDonor {
  const r = ZDonorSchema.safeParse(input);
  if (!r.success) {
    const summary = r.error.issues.map((i) => `${i.path.join(".") || "donor"}: ${i.message}`).join("; ");
    throw new AppError("BAD_REQUEST", `Invalid donor: ${summary}`);
  }
  const typing = parseHlaTyping(r.data.hla);
  if (!typing.ok) throw new AppError("BAD_REQUEST", typing.errors.join(" "));
  const k = kdpi(r.data, kdriPolicy);
  return {
    ...r.data,
    hlaTyping: typing.typing,
    kdriRao: k.kdriRao,
    kdri: k.kdri,
    kdpi: k.kdpi,
    kdriPolicy: { id: kdriPolicy.id, version: kdriPolicy.version },
  };
}

export type { TDonorAbo };
