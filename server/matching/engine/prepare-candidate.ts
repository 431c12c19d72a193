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
    if (c.dialysisStartedAt && c.dialysisStartedAt < c.dateOfBirth) {
      ctx.addIssue({
        code: "custom",
        path: ["dialysisStartedAt"],
        message: "dialysis cannot start before birth",
      });
    }
  });
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
};

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
