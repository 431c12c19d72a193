import "server-only";

import { z } from "zod";
import { AppError } from "@/server/errors";
import type { Candidate, Organisation } from "@/server/generated/prisma/client";
import { type TCandidateInput, ZCandidateSchema } from "@/server/matching/engine/prepare-candidate";
import { type TDonor, ZDonorSchema } from "@/server/matching/engine/prepare-donor";
import { ORGAN_TYPES } from "@/server/matching/organ-type";
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

const isoDate = (what: string) => z.iso.date(`${what}: use a date YYYY-MM-DD`);
const ZCountrySchema = z.string().regex(/^[A-Z]{2}$/, "country is an ISO 3166 code such as NL or DE");

/**
 * Allocation inputs beyond the clinical ones, for policies that read them (Eurotransplant ETKAS and
 * ESP): where the candidate is listed, the ESP subregion, the programme chosen, the acceptable-
 * mismatch programme, the latest antibody screening and, for a re-transplant, the dialysis time
 * accrued at the failed transplant with the dates that decide how much of it returns.
 */
export const ZCandidateAllocationSchema = z.object({
  country: ZCountrySchema.optional(),
  region: z
    .string()
    .trim()
    .min(1, "region is 1–40 characters")
    .max(40, "region is 1–40 characters")
    .optional(),
  espSubregion: z.string().trim().min(1).max(40, "ESP subregion is at most 40 characters").optional(),
  kidneyProgramme: z.enum(["ETKAS", "ESP"], { error: "programme is ETKAS or ESP" }).optional(),
  acceptableMismatchProgramme: z.boolean().optional(),
  antibodyScreenedAt: isoDate("antibody screening").optional(),
  retransplant: z
    .object({
      accruedDialysisYears: z
        .number({ error: "accrued dialysis years is a number 0–80" })
        .min(0, "accrued dialysis years is 0–80")
        .max(80, "accrued dialysis years is 0–80"),
      transplantedAt: isoDate("transplant date"),
      dialysisResumedAt: isoDate("dialysis resumed"),
    })
    .optional(),
});
export type TCandidateAllocation = z.output<typeof ZCandidateAllocationSchema>;

/** HLA as entered: DR51/52/53 (DRB3/4/5) in their own list, or beside two DRB1 antigens in DR. */
const hlaEntry = (max: string) => ({
  A: z.array(z.string().trim()).max(2, max),
  B: z.array(z.string().trim()).max(2, max),
  C: z.array(z.string().trim()).max(2, max).default([]),
  DR: z.array(z.string().trim()).max(4, "at most two DRB1 and two DRB3/4/5 antigens"),
  DRB345: z.array(z.string().trim()).max(2, max).optional(),
  DQ: z.array(z.string().trim()).max(2, max).default([]),
});

/** A candidate as a centre coordinator enters it. */
export const ZCandidateEntrySchema = z.object({
  organ: z.enum(ORGAN_TYPES, {
    error: "choose the organ needed",
  }),
  abo: z.enum(["O", "A", "B", "AB"], { error: "blood group must be O, A, B or AB" }),
  hla: z.object(hlaEntry("at most two antigens per locus")),
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
  allocation: ZCandidateAllocationSchema.optional(),
});
export type TCandidateEntry = z.output<typeof ZCandidateEntrySchema>;

/** Donor facts as an OPO coordinator enters them (the engine's donor, without an id). */
export const ZDonorFactsSchema = z.object({
  abo: z.enum(["O", "A1", "A2", "A", "B", "A1B", "A2B", "AB"], {
    error: "blood group must be O, A1, A2, A, B, A1B, A2B or AB",
  }),
  hla: z.object(hlaEntry("at most two antigens per locus")),
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
  // Allocation inputs for policies that read them (Eurotransplant): where the donor is allocated
  // from, and the balance of kidney exchange in the donor's age group (ETKAS balance points).
  country: ZCountrySchema.optional(),
  region: z.string().trim().min(1).max(40, "region is 1–40 characters").optional(),
  allocationCentreId: z.string().trim().min(1).max(60).optional(),
  espSubregion: z.string().trim().min(1).max(40).optional(),
  balance: z
    .object({
      group: z.string().trim().min(1).max(20, "balance group is at most 20 characters"),
      national: z.record(ZCountrySchema, z.number().int("balances are whole kidneys")),
      regional: z.record(z.string().min(1).max(60), z.number().int("balances are whole kidneys")).default({}),
    })
    .optional(),
});
export type TDonorFacts = z.output<typeof ZDonorFactsSchema>;

/**
 * The `DonorCase.donor` column as stored: the facts as entered. Read as a record and checked by the
 * engine's donor schema (`engineDonor`), so a case recorded under older rules still names what fails.
 */
export const ZStoredDonorFactsSchema = z.record(z.string(), z.unknown());

/** What a centre's offer list shows of the donor; a value missing or of another shape shows as unknown. */
export const ZDonorSummarySchema = z.object({
  abo: z.string().optional().catch(undefined),
  ageYears: z.number().optional().catch(undefined),
  dcd: z.boolean().optional().catch(undefined),
});

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

const isoDay = (d: string) => `${d}T00:00:00.000Z`;

/**
 * The engine's fields for a candidate's allocation inputs (absent: the portal's single region, and
 * none of the fields, so a candidate without them reads exactly as before).
 */
function engineAllocation(a: TCandidateAllocation | undefined) {
  if (!a) return { ...REGION };
  return {
    country: a.country ?? REGION.country,
    region: a.region ?? REGION.region,
    ...(a.espSubregion !== undefined ? { espSubregion: a.espSubregion } : {}),
    ...(a.kidneyProgramme !== undefined ? { kidneyProgramme: a.kidneyProgramme } : {}),
    ...(a.acceptableMismatchProgramme !== undefined
      ? { acceptableMismatchProgramme: a.acceptableMismatchProgramme }
      : {}),
    ...(a.antibodyScreenedAt !== undefined ? { antibodyScreenedAt: isoDay(a.antibodyScreenedAt) } : {}),
    ...(a.retransplant !== undefined
      ? {
          retransplant: {
            accruedDialysisYears: a.retransplant.accruedDialysisYears,
            transplantedAt: isoDay(a.retransplant.transplantedAt),
            dialysisResumedAt: isoDay(a.retransplant.dialysisResumedAt),
          },
        }
      : {}),
  };
}

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
    // Null only on an erased row, which is never recorded again (the engine's schema would name it).
    dateOfBirth: row.dateOfBirth?.toISOString().slice(0, 10) as string,
    sex: row.sex as "F" | "M",
    heightCm: row.heightCm as number,
    weightKg: row.weightKg as number,
    priorLivingDonor: row.priorLivingDonor,
    priorTransplants: row.priorTransplants,
    diabetes: row.diabetes ?? false,
    urgency: {
      highUrgency: urgency.highUrgency,
      ...(urgency.liver ? { liver: { ...urgency.liver, female: row.sex === "F" } } : {}),
      ...(urgency.heartStatus !== undefined ? { heartStatus: urgency.heartStatus } : {}),
      ...(urgency.lungUrgency !== undefined ? { lungUrgency: urgency.lungUrgency } : {}),
    },
    location: { lat: centre.latitude ?? 0, lon: centre.longitude ?? 0 },
    ...engineAllocation(storedAllocation(row.allocation)),
  };
}

/** A stored `Candidate.allocation` (null on rows listed before it existed). */
function storedAllocation(value: unknown): TCandidateAllocation | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = ZCandidateAllocationSchema.safeParse(value);
  // A stored value that no longer parses is passed on as it is: the engine's schema names the field.
  return parsed.success ? parsed.data : (value as TCandidateAllocation);
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
    ...engineAllocation(entry.allocation),
  };
  delete (probe as { allocation?: unknown }).allocation;
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
  facts: TDonorFacts | z.output<typeof ZStoredDonorFactsSchema>,
  opo: Pick<Organisation, "latitude" | "longitude">,
): TDonor {
  // Country and region as entered for policies that read them; otherwise the portal's single region.
  const donor = {
    id: code,
    ...REGION,
    ...facts,
    location: facts.location ?? { lat: opo.latitude ?? 0, lon: opo.longitude ?? 0 },
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
