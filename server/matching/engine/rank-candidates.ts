import { AppError } from "@/server/errors";
import { organTypeOfConsentName, type TOrganType } from "../organ-type";
import { EPTS_POLICY_SYNTHETIC_2024, type TEptsPolicy } from "../policies/kdri-policy";
import type {
  TAllocationAttribute,
  TAllocationPolicy,
  TComparison,
  TCondition,
  TTextField,
} from "../policies/policy-schema";
import {
  aboEligibility,
  aboGroupRefusals,
  type TAboCandidateFacts,
  type TAboMatch,
} from "../rules/abo-compatibility";
import { createDistanceFrom } from "../rules/distance";
import { createMismatchCounter, type THlaMismatch, unpackMismatch } from "../rules/hla-mismatch";
import { createVirtualCrossmatch, type TCrossmatchHit } from "../rules/virtual-crossmatch";
import { attributeValue, compare, createRunContext, type TPairFacts, YEAR_MS } from "./attribute-values";
import type { TPreparedCandidate } from "./prepare-candidate";
import type { TPreparedDonor } from "./prepare-donor";

export type TScoreLine = {
  /** The weighted attribute, or for points terms their group (e.g. "hla", "hla-paediatric", "rounding"). */
  attribute: TAllocationAttribute | string;
  group: string;
  /** Null when the candidate has no value on record. */
  raw: number | null;
  normalised: number;
  weight: number;
  points: number;
};

export type TRankedCandidate = {
  rank: number;
  candidateId: string;
  centreId: string;
  tier: { id: string; label: string } | null;
  aboMatch: TAboMatch;
  hlaMismatch: THlaMismatch;
  distanceNm: number;
  score: number;
  /** "Why here": each weighted attribute's raw value, normalised value, weight and points. */
  breakdown: TScoreLine[];
};

const EXCLUSION_CODES = [
  "ORGAN_NOT_LISTED",
  "CANDIDATE_INACTIVE",
  "ABO_INCOMPATIBLE",
  "ABO_IDENTICAL_ONLY",
  "ABO_A2_TITRE",
  "CROSSMATCH_POSITIVE",
  "SIZE_OUT_OF_RANGE",
  "DISTANCE_OUT_OF_RANGE",
  "MISSING_DATA",
  "NOT_ELIGIBLE",
  "TIER_NOT_OFFERED",
] as const;
export type TExclusionCode = (typeof EXCLUSION_CODES)[number];
const EXCLUSION_INDEX = Object.fromEntries(EXCLUSION_CODES.map((code, i) => [code, i])) as Record<
  TExclusionCode,
  number
>;

export type TExcludedCandidate = {
  candidateId: string;
  centreId: string;
  code: TExclusionCode;
  message: string;
  offendingAntigens?: TCrossmatchHit[];
};

/** Ranked rows after the first `detail`, in rank order, without their breakdown (columns). */
export type TRankedTail = {
  candidateIds: string[];
  centreIds: string[];
  scores: Float64Array;
  distancesNm: Float64Array;
};

/** The donor's consent or authorisation, as organs and purposes it covers. */
export type TConsentScope = { organs: readonly string[]; purposes: readonly string[] };

export type TMatchResult = {
  policy: { id: string; version: number };
  organ: TOrganType;
  donorId: string;
  evaluatedAt: string;
  offer: { mode: "sequential" | "topN"; topN: number; responseMinutes: number };
  /** Set when no candidate may be considered at all (consent does not cover the organ). */
  refusal: { code: "CONSENT_NOT_COVERED"; message: string } | null;
  ranked: TRankedCandidate[];
  /** The ranking beyond `detail` rows; empty when every row is in `ranked`. */
  tail: TRankedTail;
  excluded: TExcludedCandidate[];
  /** Exclusions beyond `detail`, counted by rule (their messages are never built). */
  excludedMore: Partial<Record<TExclusionCode, number>>;
};

const emptyTail = (): TRankedTail => ({
  candidateIds: [],
  centreIds: [],
  scores: new Float64Array(0),
  distancesNm: new Float64Array(0),
});

const ratioCheck = (
  what: string,
  ratio: number,
  range: { min: number; max: number } | null,
): string | null =>
  range && (ratio < range.min || ratio > range.max)
    ? `Donor/candidate ${what} ratio ${ratio.toFixed(2)} is outside ${range.min.toFixed(2)}–${range.max.toFixed(2)}.`
    : null;

/**
 * Filters and ranks prepared candidates for one donor organ under one policy version. Pure and
 * deterministic: the same donor, candidates, policy and `now` give the same ranking (ties broken by
 * listing date, then candidate id). Filters: organ listed, active, ABO per policy, virtual
 * crossmatch, size ratios, distance, required data; ranking: first matching tier, identical ABO
 * first where the policy says so, composite score, listing date, id. Donor-side work (HLA tables,
 * crossmatch table, distance trigonometry) is done once per run.
 */
export function rankCandidates(opts: {
  donor: TPreparedDonor;
  organ: TOrganType;
  candidates: readonly TPreparedCandidate[];
  policy: TAllocationPolicy;
  now: Date;
  consent: TConsentScope;
  eptsPolicy?: TEptsPolicy;
  /**
   * Rows kept in full: the top of the ranking (with breakdowns) and the first exclusions (with
   * messages); the rest come as `tail` and `excludedMore`. All by default; the order is unaffected.
   * At 100,000 candidates this is what keeps a run's garbage, and so its GC pauses, small.
   */
  detail?: number;
}): TMatchResult {
  const { donor, organ, candidates, policy } = opts;
  if (policy.organ !== organ) {
    throw new AppError(
      "BAD_REQUEST",
      `Policy ${policy.id} v${policy.version} is for ${policy.organ}, not ${organ}.`,
    );
  }
  const nowMs = opts.now.getTime();
  const eptsPolicy = opts.eptsPolicy ?? EPTS_POLICY_SYNTHETIC_2024;
  const result: TMatchResult = {
    policy: { id: policy.id, version: policy.version },
    organ,
    donorId: donor.id,
    evaluatedAt: opts.now.toISOString(),
    offer: { mode: policy.offerMode, topN: policy.topN ?? 1, responseMinutes: policy.responseMinutes },
    refusal: null,
    ranked: [],
    tail: emptyTail(),
    excluded: [],
    excludedMore: {},
  };
  const detail = opts.detail ?? Number.POSITIVE_INFINITY;
  const consentOrgans = opts.consent.organs.map(organTypeOfConsentName);
  if (!consentOrgans.includes(organ) || !opts.consent.purposes.includes("TRANSPLANT")) {
    result.refusal = {
      code: "CONSENT_NOT_COVERED",
      message: `The donor's consent or authorisation does not cover the ${organ.toLowerCase()} for transplant.`,
    };
    return result;
  }

  const f = policy.filters;
  const ctx = createRunContext(policy, donor);
  const counter = createMismatchCounter(donor.hlaTyping, policy.hla);
  const crossmatch = createVirtualCrossmatch(donor.hlaTyping);
  const distanceFrom = createDistanceFrom(donor.location);
  const weighted = Object.entries(policy.weights).flatMap(([key, w]) =>
    w ? [{ key: key as TAllocationAttribute, ...w }] : [],
  );
  // Donor-side conditions are decided once: a tier or rule whose donor conditions fail drops out.
  const donorHolds = (c: TCondition) => donorCondition(c, donor) !== false;
  const tiersAll = policy.tiers.map((t, i) => ({ ...t, rank: t.rank ?? i }));
  const tiers = tiersAll.filter(
    (t) =>
      t.donorWhen.every((d) => compare(d.field === "kdpi" ? donor.kdpi : donor.ageYears, d.op, d.value)) &&
      t.when.every(donorHolds),
  );
  const rules = policy.eligibility.filter((r) => r.when.every(donorHolds));
  const pointTerms = policy.points;
  const orderKeys = policy.order;
  const keys = [
    ...new Set<TAllocationAttribute>([
      ...weighted.map((w) => w.key),
      ...pointTerms.flatMap((t) => t.attributes),
      ...tiers.flatMap((t) => t.when.flatMap((c) => ("attribute" in c ? [c.attribute] : []))),
      ...rules.flatMap((r) => r.when.flatMap((c) => ("attribute" in c ? [c.attribute] : []))),
      ...orderKeys.flatMap((o) => (o.by === "score" ? [] : [o.by])),
      ...f.requiredAttributes,
    ]),
  ];
  const slot = new Map(keys.map((k, i) => [k, i]));
  const weightSlots = weighted.map((w) => slot.get(w.key) as number);
  const compile = (conds: readonly TCondition[]) => compileConditions(conds, donor, slot);
  const tierConds = tiers.map((t) => compile(t.when));
  const ruleConds = rules.map((r) => compile(r.when));
  const termSlots = pointTerms.map((t) => t.attributes.map((a) => slot.get(a) as number));
  const noTierRank = Math.max(tiers.length, ...tiersAll.map((t) => t.rank + 1));
  const defaultOrder =
    orderKeys.length === 1 && orderKeys[0]?.by === "score" && orderKeys[0].first === "higher";
  const orderCols = orderKeys.map((o) => ({
    slot: o.by === "score" ? -1 : (slot.get(o.by) as number),
    sign: o.first === "higher" ? -1 : 1,
    col: o.by === "score" ? null : new Float64Array(candidates.length),
  }));
  const requiredSlots = f.requiredAttributes.map((k) => ({ k, i: slot.get(k) as number }));

  const n = candidates.length;
  const nk = keys.length;
  // One row of attribute values, reused: a run allocates per candidate only what it keeps.
  const values = new Float64Array(nk);
  const facts: TPairFacts = { ageYears: 0, hlaMismatches: 0, packed: 0, aboIdentical: false, distanceNm: 0 };
  const fillValues = (c: TPreparedCandidate) => {
    for (let k = 0; k < nk; k++)
      values[k] = attributeValue(keys[k] as TAllocationAttribute, c, donor, facts, nowMs, eptsPolicy, ctx);
  };
  const eligible: number[] = [];
  const tierOf = new Int32Array(n);
  const tierRankOf = new Int32Array(n);
  const aboRankOf = new Int8Array(n);
  const aboMatchOf: TAboMatch[] = new Array(n);
  const packedOf = new Int32Array(n);
  const distOf = new Float64Array(n);
  const scoreOf = new Float64Array(n);
  const aboFacts: TAboCandidateFacts = {
    abo: "O",
    zeroMismatch: false,
    cpra: 0,
    a2TitreEligible: false,
    urgent: false,
    ageYears: 0,
  };
  const groupRefusals = aboGroupRefusals(donor.abo, f.abo);
  // Counted per rule in an array: a keyed object update per exclusion cost more than the checks.
  const countByRule = new Int32Array(EXCLUSION_CODES.length);
  /** Whether an exclusion is kept in full; beyond `detail` it is only counted by its rule. */
  const inFull = (code: TExclusionCode) => {
    if (result.excluded.length < detail) return true;
    const i = EXCLUSION_INDEX[code];
    countByRule[i] = (countByRule[i] as number) + 1;
    return false;
  };
  const exclude = (c: TPreparedCandidate, code: TExclusionCode, message: string, hits?: TCrossmatchHit[]) => {
    const row: TExcludedCandidate = { candidateId: c.id, centreId: c.centreId, code, message };
    if (hits) row.offendingAntigens = hits;
    result.excluded.push(row);
  };

  for (let idx = 0; idx < n; idx++) {
    const c = candidates[idx] as TPreparedCandidate;
    if (c.organ !== organ) {
      if (inFull("ORGAN_NOT_LISTED")) exclude(c, "ORGAN_NOT_LISTED", `Not listed for ${organ}.`);
      continue;
    }
    if (!c.active) {
      if (inFull("CANDIDATE_INACTIVE"))
        exclude(c, "CANDIDATE_INACTIVE", "Candidate is not active on the waiting list.");
      continue;
    }
    // Refused on blood group alone: nothing else about the candidate is read.
    const byGroup = groupRefusals[c.abo];
    if (byGroup) {
      if (inFull(byGroup.code)) exclude(c, byGroup.code, byGroup.message);
      continue;
    }
    const packed = counter.packed(c.hla);
    const mm = (packed & 3) + ((packed >> 2) & 3) + ((packed >> 4) & 3);
    const ageYears = (nowMs - c.birthMs) / YEAR_MS;
    aboFacts.abo = c.abo;
    aboFacts.zeroMismatch = mm === 0;
    aboFacts.cpra = c.cpra;
    aboFacts.a2TitreEligible = c.a2TitreEligible;
    aboFacts.urgent = c.highUrgency;
    aboFacts.ageYears = ageYears;
    const abo = aboEligibility(donor.abo, aboFacts, f.abo);
    if (!abo.eligible) {
      if (inFull(abo.code)) exclude(c, abo.code, abo.message);
      continue;
    }
    if (f.virtualCrossmatch && !crossmatch.isCompatible(c.unacceptableIds)) {
      if (inFull("CROSSMATCH_POSITIVE")) {
        const hits = crossmatch.hits(c.unacceptableIds);
        const list = hits.map((h) =>
          h.unacceptable === h.donorAntigen ? h.donorAntigen : `${h.unacceptable} (donor ${h.donorAntigen})`,
        );
        exclude(
          c,
          "CROSSMATCH_POSITIVE",
          `Virtual crossmatch positive: unacceptable ${list.join(", ")}.`,
          hits,
        );
      }
      continue;
    }
    const sizeProblem =
      ratioCheck("weight", donor.weightKg / c.weightKg, f.size.weightRatio) ??
      ratioCheck("height", donor.heightCm / c.heightCm, f.size.heightRatio);
    if (sizeProblem) {
      if (inFull("SIZE_OUT_OF_RANGE")) exclude(c, "SIZE_OUT_OF_RANGE", sizeProblem);
      continue;
    }
    const distanceNm = distanceFrom(c.point);
    if (f.maxDistanceNm !== null && distanceNm > f.maxDistanceNm) {
      if (inFull("DISTANCE_OUT_OF_RANGE"))
        exclude(
          c,
          "DISTANCE_OUT_OF_RANGE",
          `${distanceNm.toFixed(0)} nm from the donor, beyond ${f.maxDistanceNm} nm.`,
        );
      continue;
    }
    facts.ageYears = ageYears;
    facts.hlaMismatches = mm;
    facts.packed = packed;
    facts.aboIdentical = abo.match === "IDENTICAL";
    facts.distanceNm = distanceNm;
    fillValues(c);
    let missing: TAllocationAttribute | null = null;
    for (const r of requiredSlots) {
      if (Number.isNaN(values[r.i])) {
        missing = r.k;
        break;
      }
    }
    if (missing) {
      if (inFull("MISSING_DATA"))
        exclude(c, "MISSING_DATA", `This policy needs ${missing}, which is not on record for the candidate.`);
      continue;
    }
    let refusedBy = -1;
    for (let r = 0; r < ruleConds.length && refusedBy < 0; r++)
      if (holds(ruleConds[r] as TCompiled[], values, c)) refusedBy = r;
    if (refusedBy >= 0) {
      const rule = rules[refusedBy] as (typeof rules)[number];
      if (inFull("NOT_ELIGIBLE")) exclude(c, "NOT_ELIGIBLE", rule.message);
      continue;
    }
    let tier = tiers.length;
    for (let t = 0; t < tierConds.length && tier === tiers.length; t++)
      if (holds(tierConds[t] as TCompiled[], values, c)) tier = t;
    const tierRule = tiers[tier];
    if (tierRule && !tierRule.offered) {
      if (inFull("TIER_NOT_OFFERED"))
        exclude(c, "TIER_NOT_OFFERED", `${tierRule.label}: this tier is not offered in standard allocation.`);
      continue;
    }
    let score = 0;
    for (let w = 0; w < weighted.length; w++)
      score += points(weighted[w] as (typeof weighted)[number], values[weightSlots[w] as number] as number);
    for (let t = 0; t < pointTerms.length; t++)
      score += termPoints((pointTerms[t] as TPointTermLike).coefficient, termSlots[t] as number[], values);
    if (policy.roundScore) score = Math.floor(score + 0.5);
    for (const o of orderCols) if (o.col) o.col[idx] = values[o.slot] as number;
    eligible.push(idx);
    tierOf[idx] = tier;
    tierRankOf[idx] = tierRule ? tierRule.rank : noTierRank;
    aboRankOf[idx] = f.abo.identicalFirst ? abo.rank : 0;
    aboMatchOf[idx] = abo.match;
    packedOf[idx] = packed;
    distOf[idx] = distanceNm;
    scoreOf[idx] = score;
  }

  for (let i = 0; i < EXCLUSION_CODES.length; i++)
    if (countByRule[i]) result.excludedMore[EXCLUSION_CODES[i] as TExclusionCode] = countByRule[i] as number;
  const byOrder = (a: number, b: number) => {
    if (defaultOrder) return (scoreOf[b] as number) - (scoreOf[a] as number);
    for (const o of orderCols) {
      const col = o.col ?? scoreOf;
      const d = o.sign * ((col[a] as number) - (col[b] as number));
      if (d) return d;
    }
    return 0;
  };
  eligible.sort((a, b) => {
    const ca = candidates[a] as TPreparedCandidate;
    const cb = candidates[b] as TPreparedCandidate;
    return (
      (tierRankOf[a] as number) - (tierRankOf[b] as number) ||
      (aboRankOf[a] as number) - (aboRankOf[b] as number) ||
      byOrder(a, b) ||
      ca.listedAtMs - cb.listedAtMs ||
      (ca.id < cb.id ? -1 : ca.id > cb.id ? 1 : 0)
    );
  });

  const full = Math.min(eligible.length, detail);
  result.ranked = eligible.slice(0, full).map((idx, i) => {
    const c = candidates[idx] as TPreparedCandidate;
    const tier = tiers[tierOf[idx] as number];
    // The values are recomputed from what the filters kept: the same inputs, the same numbers.
    const packed = packedOf[idx] as number;
    facts.ageYears = (nowMs - c.birthMs) / YEAR_MS;
    facts.hlaMismatches = (packed & 3) + ((packed >> 2) & 3) + ((packed >> 4) & 3);
    facts.packed = packed;
    facts.aboIdentical = aboMatchOf[idx] === "IDENTICAL";
    facts.distanceNm = distOf[idx] as number;
    fillValues(c);
    return {
      rank: i + 1,
      candidateId: c.id,
      centreId: c.centreId,
      tier: tier ? { id: tier.id, label: tier.label } : null,
      aboMatch: aboMatchOf[idx] as TAboMatch,
      hlaMismatch: unpackMismatch(packed),
      distanceNm: distOf[idx] as number,
      score: scoreOf[idx] as number,
      breakdown: [
        ...weighted.map((w, wi) => {
          const raw = values[weightSlots[wi] as number] as number;
          const normalised = normalise(w, raw);
          return {
            attribute: w.key,
            group: w.group,
            raw: Number.isNaN(raw) ? null : raw,
            normalised,
            weight: w.weight,
            points: w.weight * normalised,
          };
        }),
        ...termLines(pointTerms, termSlots, values, weighted, weightSlots, policy.roundScore),
      ],
    };
  });
  const rest = eligible.length - full;
  if (rest > 0) {
    const tail: TRankedTail = {
      candidateIds: new Array(rest),
      centreIds: new Array(rest),
      scores: new Float64Array(rest),
      distancesNm: new Float64Array(rest),
    };
    for (let i = 0; i < rest; i++) {
      const idx = eligible[full + i] as number;
      const c = candidates[idx] as TPreparedCandidate;
      tail.candidateIds[i] = c.id;
      tail.centreIds[i] = c.centreId;
      tail.scores[i] = scoreOf[idx] as number;
      tail.distancesNm[i] = distOf[idx] as number;
    }
    result.tail = tail;
  }
  return result;
}

type TWeight = { weight: number; min: number; max: number; invert: boolean };

function normalise(w: TWeight, raw: number): number {
  if (Number.isNaN(raw)) return 0;
  const x = Math.min(1, Math.max(0, (raw - w.min) / (w.max - w.min)));
  return w.invert ? 1 - x : x;
}

function points(w: TWeight, raw: number): number {
  return w.weight * normalise(w, raw);
}

type TCompiled =
  | { kind: "attribute"; i: number; op: TComparison; v: number }
  | { kind: "text"; field: TTextField; values: readonly string[]; member: boolean };

/** A donor-only condition's truth (decided once per run), or null when it depends on the candidate. */
function donorCondition(c: TCondition, donor: TPreparedDonor): boolean | null {
  if ("donor" in c) {
    const v = c.donor === "kdpi" ? donor.kdpi : c.donor === "ageYears" ? donor.ageYears : donor.dcd ? 1 : 0;
    return compare(v, c.op, c.value);
  }
  if ("text" in c && c.text === "donor.country")
    return "in" in c ? c.in.includes(donor.country) : !c.notIn.includes(donor.country);
  return null;
}

/** The candidate-side conditions, with attribute slots resolved (donor ones were decided already). */
function compileConditions(
  conds: readonly TCondition[],
  donor: TPreparedDonor,
  slot: ReadonlyMap<TAllocationAttribute, number>,
): TCompiled[] {
  return conds.flatMap((c): TCompiled[] => {
    if (donorCondition(c, donor) !== null) return [];
    if ("attribute" in c)
      return [{ kind: "attribute", i: slot.get(c.attribute) as number, op: c.op, v: c.value }];
    if ("text" in c)
      return "in" in c
        ? [{ kind: "text", field: c.text, values: c.in, member: true }]
        : [{ kind: "text", field: c.text, values: c.notIn, member: false }];
    return [];
  });
}

function textValue(field: TTextField, c: TPreparedCandidate): string {
  return field === "candidate.kidneyProgramme" ? c.kidneyProgramme : c.country;
}

/** Whether every compiled condition holds for this candidate (empty: true). */
function holds(conds: readonly TCompiled[], values: Float64Array, c: TPreparedCandidate): boolean {
  for (const cond of conds) {
    if (cond.kind === "attribute") {
      if (!compare(values[cond.i] as number, cond.op, cond.v)) return false;
    } else if (cond.values.includes(textValue(cond.field, c)) !== cond.member) return false;
  }
  return true;
}

type TPointTermLike = { group: string; coefficient: number; attributes: readonly string[] };

/** coefficient × product of the term's attribute values (NaN reads as 0: nothing on record). */
function termPoints(coefficient: number, slots: readonly number[], values: Float64Array): number {
  let x = coefficient;
  for (const i of slots) {
    const v = values[i] as number;
    x *= Number.isNaN(v) ? 0 : v;
  }
  return x;
}

/** Breakdown lines of the points terms, summed by group, and the rounding when the policy rounds. */
function termLines(
  terms: readonly TPointTermLike[],
  termSlots: readonly number[][],
  values: Float64Array,
  weighted: readonly (TWeight & { key: string })[],
  weightSlots: readonly number[],
  round: boolean,
): TScoreLine[] {
  if (terms.length === 0 && !round) return [];
  const byGroup = new Map<string, number>();
  terms.forEach((t, i) => {
    byGroup.set(
      t.group,
      (byGroup.get(t.group) ?? 0) + termPoints(t.coefficient, termSlots[i] as number[], values),
    );
  });
  const lines: TScoreLine[] = [...byGroup].map(([group, pts]) => ({
    attribute: group,
    group,
    raw: null,
    normalised: 1,
    weight: pts,
    points: pts,
  }));
  if (round) {
    let exact = 0;
    weighted.forEach((w, wi) => {
      exact += points(w, values[weightSlots[wi] as number] as number);
    });
    for (const l of lines) exact += l.points;
    const rounded = Math.floor(exact + 0.5);
    lines.push({
      attribute: "rounding",
      group: "rounding",
      raw: null,
      normalised: 1,
      weight: 0,
      points: rounded - exact,
    });
  }
  return lines;
}
