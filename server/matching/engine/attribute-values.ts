import type { TEptsPolicy } from "../policies/kdri-policy";
import type { TAllocationAttribute, TComparison } from "../policies/policy-schema";
import { eptsRaw, percentileFromTable } from "../rules/epts";
import type { TPreparedCandidate } from "./prepare-candidate";
import type { TPreparedDonor } from "./prepare-donor";

export const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

/** What the filters already worked out for one candidate, reused by the attributes. */
export type TPairFacts = {
  ageYears: number;
  hlaMismatches: number;
  aboIdentical: boolean;
  distanceNm: number;
};

/**
 * The raw value of one attribute for a donor–candidate pair at `nowMs`, or NaN when the candidate
 * has no value on record (no MELD labs, no heart status).
 */
export function attributeValue(
  key: TAllocationAttribute,
  c: TPreparedCandidate,
  donor: TPreparedDonor,
  f: TPairFacts,
  nowMs: number,
  eptsPolicy: TEptsPolicy,
): number {
  switch (key) {
    case "meld":
      return c.meld ?? Number.NaN;
    case "heartStatus":
      return c.heartStatus ?? Number.NaN;
    case "lungUrgency":
      return c.lungUrgency ?? Number.NaN;
    case "highUrgency":
      return c.highUrgency ? 1 : 0;
    case "eptsPercent": {
      const dialysisYears =
        c.dialysisStartMs === null ? null : Math.max(0, nowMs - c.dialysisStartMs) / YEAR_MS;
      const raw = eptsRaw({
        ageYears: f.ageYears,
        diabetes: c.diabetes,
        priorTransplant: c.priorTransplant,
        dialysisYears,
      });
      return percentileFromTable(raw, eptsPolicy.upperBounds);
    }
    case "cpra":
      return c.cpra;
    case "mismatchProbability":
      return c.mismatchProbability;
    case "aboIdentical":
      return f.aboIdentical ? 1 : 0;
    case "hlaMismatches":
      return f.hlaMismatches;
    case "zeroMismatch":
      return f.hlaMismatches === 0 ? 1 : 0;
    case "waitingYears":
      return Math.max(0, nowMs - c.listedAtMs) / YEAR_MS;
    case "dialysisYears":
      return c.dialysisStartMs === null ? 0 : Math.max(0, nowMs - c.dialysisStartMs) / YEAR_MS;
    case "paediatric":
      return f.ageYears < 18 ? 1 : 0;
    case "priorLivingDonor":
      return c.priorLivingDonor ? 1 : 0;
    case "distanceNm":
      return f.distanceNm;
    case "isLocal":
      return c.country === donor.country && c.region === donor.region ? 1 : 0;
    case "isNational":
      return c.country === donor.country && c.region !== donor.region ? 1 : 0;
  }
}

/** `a op b`; false when `a` is NaN (no value on record never satisfies a tier). */
export function compare(a: number, op: TComparison, b: number): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
  }
}
