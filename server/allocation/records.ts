import { z } from "zod";
import { AppError } from "@/server/errors";
import type { Candidate, Organisation } from "@/server/generated/prisma/client";
import { type TCandidateInput, ZCandidateSchema } from "@/server/matching/engine/prepare-candidate";
import { type TDonor, ZDonorSchema } from "@/server/matching/engine/prepare-donor";
import { ZMeldInputsSchema } from "@/server/matching/rules/meld-3";

/**
 * How waiting-list candidates and donor facts are stored, and how they become the matching
 * engine's inputs. The engine's zod schemas are the rules (HLA names, lab ranges, ABO values), so
 * the API, the seed and a replay validate the same way.
 */

/** Organ-specific urgency as stored on a candidate (liver labs without sex: it is on the candidate). */
export const ZUrgencySchema = z
  .object({
    liver: ZMeldInputsSchema.omit({ female: true }).optional(),
    highUrgency: z.boolean().default(false),
    heartStatus: z.number().int().min(1, "heart status is 1–6").max(6, "heart status is 1–6").optional(),
    lungUrgency: z.number().min(0, "lung urgency is 0–100").max(100, "lung urgency is 0–100").optional(),
  })
  .default({ highUrgency: false });

/** A candidate as a centre coordinator enters it. */
export const ZCandidateEntrySchema = z.object({
  organ: z.enum(["KIDNEY", "LIVER", "HEART", "LUNG", "PANCREAS", "INTESTINE"], {
    error: "choose the organ needed",
  }),
  abo: z.enum(["O", "A", "B", "AB"], { error: "blood group must be O, A, B or AB" }),
  hla: z.object({
    A: z.array(z.string().trim()).max(2, "at most two antigens per locus"),
    B: z.array(z.string().trim()).max(2, "at most two antigens per locus"),
    C: z.array(z.string().trim()).max(2, "at most two antigens per locus").default([]),
    DR: z.array(z.string().trim()).max(2, "at most two antigens per locus"),
    DQ: z.array(z.string().trim()).max(2, "at most two antigens per locus").default([]),
  }),
  unacceptable: z.array(z.string().trim()).max(200).default([]),
  cpra: z.number({ error: "cPRA is a number 0–100" }).min(0, "cPRA is 0–100").max(100, "cPRA is 0–100"),
  listedAt: z.iso.date("use a date YYYY-MM-DD"),
  dialysisStartedAt: z.iso.date("use a date YYYY-MM-DD").nullable().default(null),
  dateOfBirth: z.iso.date("use a date YYYY-MM-DD"),
  sex: z.enum(["F", "M"], { error: "sex must be F or M" }),
  heightCm: z.number().min(30, "height is 30–250 cm").max(250, "height is 30–250 cm"),
  weightKg: z.number().min(1, "weight is 1–300 kg").max(300, "weight is 1–300 kg"),
  priorLivingDonor: z.boolean().default(false),
  priorTransplants: z
    .number({ error: "prior transplants is a whole number 0–10" })
    .int("prior transplants is a whole number 0–10")
    .min(0, "prior transplants is a whole number 0–10")
    .max(10, "prior transplants is a whole number 0–10")
    .default(0),
  diabetes: z.boolean().default(false),
  urgency: ZUrgencySchema,
});
export type TCandidateEntry = z.output<typeof ZCandidateEntrySchema>;

/** Donor facts as an OPO coordinator enters them (the engine's donor, without an id). */
export const ZDonorFactsSchema = z.object({
  abo: z.enum(["O", "A1", "A2", "A", "B", "A1B", "A2B", "AB"], {
    error: "blood group must be O, A1, A2, A, B, A1B, A2B or AB",
  }),
  hla: z.object({
    A: z.array(z.string().trim()).max(2),
    B: z.array(z.string().trim()).max(2),
    C: z.array(z.string().trim()).max(2).default([]),
    DR: z.array(z.string().trim()).max(2),
    DQ: z.array(z.string().trim()).max(2).default([]),
  }),
  ageYears: z.number().min(0, "age is 0–100").max(100, "age is 0–100"),
  heightCm: z.number().min(30, "height is 30–250 cm").max(250, "height is 30–250 cm"),
  weightKg: z.number().min(1, "weight is 1–300 kg").max(300, "weight is 1–300 kg"),
  sex: z.enum(["F", "M"], { error: "sex must be F or M" }),
  causeOfDeath: z.enum(["STROKE", "HEAD_TRAUMA", "ANOXIA", "OTHER"], { error: "choose a cause of death" }),
  dcd: z.boolean(),
  hypertension: z.boolean(),
  diabetes: z.boolean(),
  creatinineMgDl: z.number().min(0.1, "creatinine is 0.1–25 mg/dL").max(25, "creatinine is 0.1–25 mg/dL"),
  hbv: z.boolean(),
  hcv: z.boolean(),
  hiv: z.boolean(),
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
});
export type TDonorFacts = z.output<typeof ZDonorFactsSchema>;

/** Zod issues as field errors (`path` → message) and one readable message. */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], prefix = ""): AppError {
  const fieldErrors: Record<string, string> = {};
  for (const i of issues) fieldErrors[`${prefix}${i.path.join(".")}`] ??= i.message;
  return new AppError(
    "BAD_REQUEST",
    Object.entries(fieldErrors)
      .map(([k, v]) => `${k || "input"}: ${v}`)
      .join("; "),
    fieldErrors,
  );
}

type TCentre = Pick<Organisation, "id" | "latitude" | "longitude">;

const REGION = { country: "US", region: "1" } as const;

/** The engine's view of a stored candidate (location is the centre's). */
export function engineCandidate(row: Candidate, centre: TCentre): TCandidateInput {
  const urgency = ZUrgencySchema.parse(row.urgency ?? {});
  return {
    id: row.id,
    centreId: row.centerId,
    organ: row.organ,
    status: row.status,
    abo: row.abo as TCandidateInput["abo"],
    hla: row.hla as TCandidateInput["hla"],
    unacceptable: row.unacceptable,
    cpra: row.cpra,
    listedAt: row.listedAt.toISOString(),
    dialysisStartedAt: row.dialysisStartedAt?.toISOString() ?? null,
    dateOfBirth: row.dateOfBirth.toISOString().slice(0, 10),
    sex: row.sex as "F" | "M",
    heightCm: row.heightCm,
    weightKg: row.weightKg,
    priorLivingDonor: row.priorLivingDonor,
    priorTransplants: row.priorTransplants,
    diabetes: row.diabetes,
    urgency: {
      highUrgency: urgency.highUrgency,
      ...(urgency.liver ? { liver: { ...urgency.liver, female: row.sex === "F" } } : {}),
      ...(urgency.heartStatus !== undefined ? { heartStatus: urgency.heartStatus } : {}),
      ...(urgency.lungUrgency !== undefined ? { lungUrgency: urgency.lungUrgency } : {}),
    },
    location: { lat: centre.latitude ?? 0, lon: centre.longitude ?? 0 },
    ...REGION,
  };
}

/** Validates an entry with the engine's own rules (HLA names, labs), naming each bad field. */
export function validateCandidateEntry(entry: TCandidateEntry, centre: TCentre): void {
  const probe = {
    id: "new",
    centreId: centre.id,
    status: "ACTIVE",
    ...entry,
    listedAt: `${entry.listedAt}T00:00:00.000Z`,
    dialysisStartedAt: entry.dialysisStartedAt ? `${entry.dialysisStartedAt}T00:00:00.000Z` : null,
    urgency: {
      ...entry.urgency,
      ...(entry.urgency.liver ? { liver: { ...entry.urgency.liver, female: entry.sex === "F" } } : {}),
    },
    location: { lat: centre.latitude ?? 0, lon: centre.longitude ?? 0 },
    ...REGION,
  };
  const parsed = ZCandidateSchema.safeParse(probe);
  if (!parsed.success) throw fieldErrorsOf(parsed.error.issues);
  if (entry.organ === "LIVER" && !entry.urgency.liver) {
    throw new AppError("BAD_REQUEST", "urgency.liver: a liver candidate needs the labs for MELD 3.0", {
      "urgency.liver": "a liver candidate needs the labs for MELD 3.0",
    });
  }
}

/** The engine's donor for a case (its code is the donor id in snapshots: no personal data). */
export function engineDonor(
  code: string,
  facts: TDonorFacts,
  opo: Pick<Organisation, "latitude" | "longitude">,
): TDonor {
  const donor = {
    id: code,
    ...facts,
    location: facts.location ?? { lat: opo.latitude ?? 0, lon: opo.longitude ?? 0 },
    ...REGION,
  };
  const parsed = ZDonorSchema.safeParse(donor);
  if (!parsed.success) throw fieldErrorsOf(parsed.error.issues, "donor.");
  return parsed.data;
}

/** The allocation policy each organ type is matched under by default. */
export const DEFAULT_POLICY: Partial<Record<string, string>> = {
  KIDNEY: "us-kidney-cd",
  LIVER: "us-liver-acuity",
  HEART: "us-heart",
  LUNG: "us-lung-cas",
};
