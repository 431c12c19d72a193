import { z } from "zod";
import { AppError } from "@/server/errors";
import { type TOrganType, ZOrganTypeSchema } from "../organ-type";
import { type TCandidateAbo, ZCandidateAboSchema } from "../rules/abo-compatibility";
import { type TRadiansPoint, toRadiansPoint } from "../rules/distance";
import { parseHlaTyping, parseUnacceptableAntigens, type TParsedHlaTyping } from "../rules/hla-antigens";
import { meld3, ZMeldInputsSchema } from "../rules/meld-3";
import { ZHlaTypingSchema, ZLatLonSchema } from "./hla-schema";

/** A waiting-list candidate as the matching engine reads it (a boundary input; ids are strings). */
export const ZCandidateSchema = z
  .object({
    id: z.string().min(1),
    centreId: z.string().min(1),
    organ: ZOrganTypeSchema,
    status: z.enum(["ACTIVE", "INACTIVE", "TRANSPLANTED", "REMOVED"]),
    abo: ZCandidateAboSchema,
    hla: ZHlaTypingSchema,
    unacceptable: z.array(z.string()).default([]),
    cpra: z.number().min(0).max(100),
    listedAt: z.iso.datetime({ offset: true }),
    dialysisStartedAt: z.iso.datetime({ offset: true }).nullable().default(null),
    dateOfBirth: z.iso.date(),
    sex: z.enum(["F", "M"]),
    heightCm: z.number().min(30).max(250),
    weightKg: z.number().min(1).max(300),
    priorLivingDonor: z.boolean().default(false),
    priorTransplants: z.number().int().min(0).default(0),
    diabetes: z.boolean().default(false),
    urgency: z
      .object({
        liver: ZMeldInputsSchema.optional(),
        /** Liver status 1A, heart/kidney high urgency (policy decides what it earns). */
        highUrgency: z.boolean().default(false),
        heartStatus: z.number().int().min(1).max(6).optional(),
        lungUrgency: z.number().min(0).max(100).optional(),
      })
      .default({ highUrgency: false }),
    location: ZLatLonSchema,
    country: z.string().length(2),
    region: z.string().min(1),
    /** Anti-A titre recorded as eligible for A2/A2B kidneys. */
    a2TitreEligible: z.boolean().default(false),
    /** ETKAS mismatch probability (0–100); cPRA stands in when absent. */
    mismatchProbability: z.number().min(0).max(100).optional(),
    /** Eurotransplant kidney programme chosen (German candidates of 65 and over choose one). */
    kidneyProgramme: z.enum(["ETKAS", "ESP"]).optional(),
    /** In Eurotransplant's acceptable-mismatch programme (allocated there, not in ETKAS or ESP). */
    acceptableMismatchProgramme: z.boolean().optional(),
    /** Date of the latest antibody screening (a policy may require a recent one). */
    antibodyScreenedAt: z.iso.datetime({ offset: true }).optional(),
    /** A re-transplant candidate: dialysis years accrued at the failed transplant, and the dates. */
    retransplant: z
      .object({
        accruedDialysisYears: z.number().min(0).max(80),
        transplantedAt: z.iso.datetime({ offset: true }),
        dialysisResumedAt: z.iso.datetime({ offset: true }),
      })
      .refine((r) => r.dialysisResumedAt >= r.transplantedAt, {
        message: "dialysis cannot resume before the transplant",
        path: ["dialysisResumedAt"],
      })
      .optional(),
    /** ESP subregion of the candidate's centre (Germany, Hungary). */
    espSubregion: z.string().min(1).max(40).optional(),
  })
  .superRefine((c, ctx) => {
    const typing = parseHlaTyping(c.hla);
    if (!typing.ok)
      for (const message of typing.errors) ctx.addIssue({ code: "custom", path: ["hla"], message });
    const unacceptable = parseUnacceptableAntigens(c.unacceptable);
    if (!unacceptable.ok) {
      for (const message of unacceptable.errors)
        ctx.addIssue({ code: "custom", path: ["unacceptable"], message });
    }
    for (const issue of datesWithinLife(c)) ctx.addIssue({ code: "custom", ...issue });
  });

const EARLIEST_BIRTH_MS = Date.UTC(1900, 0, 1);

/**
 * A candidate's dates must fit one life: born from 1900 and not in the future, listed and on
 * dialysis not before birth and not in the future (a day's grace for time zones ahead of UTC).
 * A date out of this range once ranked a future-born candidate as paediatric.
 */
function datesWithinLife(c: {
  dateOfBirth: string;
  listedAt: string;
  dialysisStartedAt: string | null;
}): Array<{ path: string[]; message: string }> {
  const latest = Date.now() + DAY_MS;
  const born = Date.parse(`${c.dateOfBirth}T00:00:00Z`);
  const issues: Array<{ path: string[]; message: string }> = [];
  if (born < EARLIEST_BIRTH_MS)
    issues.push({ path: ["dateOfBirth"], message: "date of birth cannot be before 1900" });
  if (born > latest) issues.push({ path: ["dateOfBirth"], message: "date of birth cannot be in the future" });
  for (const field of ["listedAt", "dialysisStartedAt"] as const) {
    const value = c[field];
    if (!value) continue;
    const at = Date.parse(value);
    const what = field === "listedAt" ? "listing" : "dialysis";
    if (at < born) issues.push({ path: [field], message: `${what} cannot start before birth` });
    else if (at < EARLIEST_BIRTH_MS)
      issues.push({ path: [field], message: `${what} cannot start before 1900` });
    if (at > latest) issues.push({ path: [field], message: `${what} cannot start in the future` });
  }
  return issues;
}
export type TCandidate = z.infer<typeof ZCandidateSchema>;
export type TCandidateInput = z.input<typeof ZCandidateSchema>;

/**
 * A candidate parsed once at load (HLA to antigen ids, dates to epoch ms, MELD computed, location
 * in radians), so a match run reads numbers only.
 */
export type TPreparedCandidate = {
  readonly id: string;
  readonly centreId: string;
  readonly organ: TOrganType;
  readonly active: boolean;
  readonly abo: TCandidateAbo;
  readonly hla: TParsedHlaTyping;
  readonly unacceptableIds: readonly number[];
  readonly cpra: number;
  readonly listedAtMs: number;
  readonly dialysisStartMs: number | null;
  readonly birthMs: number;
  readonly heightCm: number;
  readonly weightKg: number;
  readonly priorLivingDonor: boolean;
  readonly priorTransplant: boolean;
  readonly diabetes: boolean;
  readonly meld: number | null;
  readonly highUrgency: boolean;
  readonly heartStatus: number | null;
  readonly lungUrgency: number | null;
  readonly point: TRadiansPoint;
  readonly country: string;
  readonly region: string;
  readonly a2TitreEligible: boolean;
  readonly mismatchProbability: number;
  readonly kidneyProgramme: "ETKAS" | "ESP";
  readonly acceptableMismatchProgramme: boolean;
  readonly antibodyScreenedMs: number | null;
  /** Dialysis years accrued at a failed transplant and the days until dialysis resumed, or null. */
  readonly retransplant: { readonly accruedDialysisYears: number; readonly daysToDialysis: number } | null;
  readonly espSubregion: string | null;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Prepares an already-validated candidate. Throws AppError if its HLA names are unknown. */
export function prepareCandidate(c: TCandidate): TPreparedCandidate {
  const typing = parseHlaTyping(c.hla);
  const unacceptable = parseUnacceptableAntigens(c.unacceptable);
  if (!typing.ok || !unacceptable.ok) {
    const errors = [...(typing.ok ? [] : typing.errors), ...(unacceptable.ok ? [] : unacceptable.errors)];
    throw new AppError("BAD_REQUEST", `Candidate ${c.id}: ${errors.join(" ")}`);
  }
  return {
    id: c.id,
    centreId: c.centreId,
    organ: c.organ,
    active: c.status === "ACTIVE",
    abo: c.abo,
    hla: typing.typing,
    unacceptableIds: unacceptable.ids,
    cpra: c.cpra,
    listedAtMs: Date.parse(c.listedAt),
    dialysisStartMs: c.dialysisStartedAt ? Date.parse(c.dialysisStartedAt) : null,
    birthMs: Date.parse(c.dateOfBirth),
    heightCm: c.heightCm,
    weightKg: c.weightKg,
    priorLivingDonor: c.priorLivingDonor,
    priorTransplant: c.priorTransplants > 0,
    diabetes: c.diabetes,
    meld: c.urgency.liver ? meld3(c.urgency.liver) : null,
    highUrgency: c.urgency.highUrgency,
    heartStatus: c.urgency.heartStatus ?? null,
    lungUrgency: c.urgency.lungUrgency ?? null,
    point: toRadiansPoint(c.location),
    country: c.country,
    region: c.region,
    a2TitreEligible: c.a2TitreEligible,
    mismatchProbability: c.mismatchProbability ?? c.cpra,
    kidneyProgramme: c.kidneyProgramme ?? "ETKAS",
    acceptableMismatchProgramme: c.acceptableMismatchProgramme ?? false,
    antibodyScreenedMs: c.antibodyScreenedAt ? Date.parse(c.antibodyScreenedAt) : null,
    retransplant: c.retransplant
      ? {
          accruedDialysisYears: c.retransplant.accruedDialysisYears,
          daysToDialysis:
            (Date.parse(c.retransplant.dialysisResumedAt) - Date.parse(c.retransplant.transplantedAt)) /
            DAY_MS,
        }
      : null,
    espSubregion: c.espSubregion ?? null,
  };
}

/** Validates a raw candidate (zod) and prepares it; AppError with per-field messages on failure. */
export function parseCandidate(input: unknown): TPreparedCandidate {
  const r = ZCandidateSchema.safeParse(input);
  if (!r.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of r.error.issues) fieldErrors[issue.path.join(".")] ??= issue.message;
    const summary = r.error.issues.map((i) => `${i.path.join(".") || "candidate"}: ${i.message}`).join("; ");
    throw new AppError("BAD_REQUEST", `Invalid candidate: ${summary}`, fieldErrors);
  }
  return prepareCandidate(r.data);
}
