import type { TEptsPolicy } from "../policies/kdri-policy";
import {
  ESP_LOCATION,
  type TAllocationAttribute,
  type TAllocationPolicy,
  type TComparison,
} from "../policies/policy-schema";
import { eptsRaw, percentileFromTable } from "../rules/epts";
import { etMismatchProbability } from "../rules/et-mismatch-probability";
import { canonicalTables, homozygosityLevel, type TCanonicalTables } from "../rules/hla-counting";
import type { TPreparedCandidate } from "./prepare-candidate";
import type { TPreparedDonor } from "./prepare-donor";

export const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the filters already worked out for one candidate, reused by the attributes. */
export type TPairFacts = {
  ageYears: number;
  hlaMismatches: number;
  /** Mismatches packed as A + 4·B + 16·DR. */
  packed: number;
  aboIdentical: boolean;
  distanceNm: number;
};

/** What a policy's attributes need beyond the pair, worked out once per run. */
export type TRunContext = {
  paediatricAge: number;
  listedUnderAgeExceptCountries: readonly string[] | null;
  regionalCountries: readonly string[] | null;
  canon: TCanonicalTables | null;
  donorHomozygous: boolean;
  nationalBalance: ReadonlyMap<string, number>;
  regionalBalance: ReadonlyMap<string, number>;
  mmp: ((c: TPreparedCandidate) => number) | null;
  returnedDialysis: readonly { withinDays: number; fraction: number }[];
  espGeography: TAllocationPolicy["espGeography"] | null;
};

const mmpCache = new WeakMap<object, WeakMap<TPreparedCandidate, number>>();

/** The run context of a policy for a donor (balance points normalised here, per the policy). */
export function createRunContext(policy: TAllocationPolicy, donor: TPreparedDonor): TRunContext {
  const canon = policy.hla ? canonicalTables(policy.hla) : null;
  const national = new Map<string, number>();
  const regional = new Map<string, number>();
  const bal = policy.balance;
  if (bal && donor.balance) {
    const net = (c: string) => donor.balance?.national[c] ?? 0;
    const max = Math.max(...bal.countries.map(net));
    for (const c of bal.countries) national.set(c, max - net(c));
    if (bal.regionalCountries.includes(donor.country)) {
      const centres = Object.entries(donor.balance.regional);
      const expected = centres.length ? centres.reduce((s, [, v]) => s + v, 0) / centres.length : 0;
      for (const [centre, v] of centres) regional.set(centre, expected - v);
    }
  }
  const tables = policy.mismatchProbability;
  let mmp: TRunContext["mmp"] = null;
  if (tables && canon) {
    const byCandidate = mmpCache.get(tables) ?? new WeakMap<TPreparedCandidate, number>();
    mmpCache.set(tables, byCandidate);
    mmp = (c) => {
      const hit = byCandidate.get(c);
      if (hit !== undefined) return hit;
      const v = etMismatchProbability({ hla: c.hla, abo: c.abo, cpra: c.cpra, canon, tables });
      byCandidate.set(c, v);
      return v;
    };
  }
  return {
    paediatricAge: policy.paediatric.ageYears,
    listedUnderAgeExceptCountries: policy.paediatric.listedUnderAgeExceptCountries,
    regionalCountries: policy.regionalCountries ?? null,
    canon,
    donorHomozygous: canon !== null && homozygosityLevel(donor.hlaTyping, canon) === 3,
    nationalBalance: national,
    regionalBalance: regional,
    mmp,
    returnedDialysis: policy.returnedDialysis,
    espGeography: policy.espGeography ?? null,
  };
}

/** Default context: what policies without the Eurotransplant terms read. */
export const DEFAULT_RUN_CONTEXT: TRunContext = {
  paediatricAge: 18,
  listedUnderAgeExceptCountries: null,
  regionalCountries: null,
  canon: null,
  donorHomozygous: false,
  nationalBalance: new Map(),
  regionalBalance: new Map(),
  mmp: null,
  returnedDialysis: [],
  espGeography: null,
};

function espLocation(
  c: TPreparedCandidate,
  donor: TPreparedDonor,
  g: NonNullable<TRunContext["espGeography"]>,
) {
  if (c.country !== donor.country) return ESP_LOCATION.A;
  if (
    g.sameCentreCountries.includes(c.country) &&
    donor.allocationCentreId !== undefined &&
    c.centreId === donor.allocationCentreId
  )
    return ESP_LOCATION.L;
  if (sameSubregion(c, donor, g)) return ESP_LOCATION.S;
  if (g.regionCountries.includes(c.country) && c.region === donor.region) return ESP_LOCATION.R;
  return ESP_LOCATION.H;
}

const sameSubregion = (
  c: TPreparedCandidate,
  donor: TPreparedDonor,
  g: NonNullable<TRunContext["espGeography"]>,
) =>
  c.country === donor.country &&
  g.subregionCountries.includes(c.country) &&
  c.espSubregion !== null &&
  c.espSubregion === donor.espSubregion;

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
  ctx: TRunContext = DEFAULT_RUN_CONTEXT,
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
    case "paediatric": {
      if (f.ageYears < ctx.paediatricAge) return 1;
      const except = ctx.listedUnderAgeExceptCountries;
      if (except === null || except.includes(c.country)) return 0;
      return (c.listedAtMs - c.birthMs) / YEAR_MS < ctx.paediatricAge ? 1 : 0;
    }
    case "priorLivingDonor":
      return c.priorLivingDonor ? 1 : 0;
    case "distanceNm":
      return f.distanceNm;
    case "isLocal":
      if (c.country !== donor.country) return 0;
      if (ctx.regionalCountries && !ctx.regionalCountries.includes(c.country)) return 1;
      return c.region === donor.region ? 1 : 0;
    case "isNational":
      if (c.country !== donor.country) return 0;
      if (ctx.regionalCountries && !ctx.regionalCountries.includes(c.country)) return 0;
      return c.region !== donor.region ? 1 : 0;
    case "ageYears":
      return f.ageYears;
    case "hlaMismatchesA":
      return f.packed & 3;
    case "hlaMismatchesB":
      return (f.packed >> 2) & 3;
    case "hlaMismatchesDR":
      return (f.packed >> 4) & 3;
    case "homozygosityLevel":
      return f.hlaMismatches === 0 && ctx.donorHomozygous && ctx.canon
        ? homozygosityLevel(c.hla, ctx.canon)
        : 0;
    case "isInternational":
      return c.country !== donor.country ? 1 : 0;
    case "returnedDialysisYears": {
      const r = c.retransplant;
      if (!r) return 0;
      const step = ctx.returnedDialysis.find((s) => r.daysToDialysis <= s.withinDays);
      return step ? r.accruedDialysisYears * step.fraction : 0;
    }
    case "nationalBalance":
      return ctx.nationalBalance.get(c.country) ?? 0;
    case "regionalBalance":
      return c.country === donor.country ? (ctx.regionalBalance.get(c.centreId) ?? 0) : 0;
    case "etMismatchProbability":
      return ctx.mmp ? ctx.mmp(c) : c.mismatchProbability;
    case "espLocation":
      return ctx.espGeography ? espLocation(c, donor, ctx.espGeography) : Number.NaN;
    case "espLocalRegionalOrSubregional": {
      const g = ctx.espGeography;
      if (!g) return Number.NaN;
      const loc = espLocation(c, donor, g);
      return loc === ESP_LOCATION.L || loc === ESP_LOCATION.R || sameSubregion(c, donor, g) ? 1 : 0;
    }
    case "choseEsp":
      return c.kidneyProgramme === "ESP" ? 1 : 0;
    case "acceptableMismatchProgramme":
      return c.acceptableMismatchProgramme ? 1 : 0;
    case "antibodyScreeningAgeDays":
      return c.antibodyScreenedMs === null ? Number.NaN : (nowMs - c.antibodyScreenedMs) / DAY_MS;
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
