import {
  HLA_ANTIGEN_COUNT,
  HLA_SPLIT_OF,
  hlaAntigenById,
  idOfAntigenName,
  type TParsedHlaTyping,
} from "./hla-antigens";

export type THlaLevel = "broad" | "split";
/** How mismatches are counted: a level per locus and antigens read as another first. */
export type THlaCountingRules = {
  levels: { A: THlaLevel; B: THlaLevel; DR: THlaLevel };
  sameAs: Readonly<Record<string, string>>;
};

export const COUNTED_LOCI = ["A", "B", "DR"] as const;
export type TCountedLocus = (typeof COUNTED_LOCI)[number];

/**
 * Per antigen id, the id it is counted as under the rules: first `sameAs` (DR17 → DR3, A203 → A2),
 * then, at broad level, its broad (A23 → A9). Ids of other loci map to themselves.
 */
export type TCanonicalTables = Readonly<Record<TCountedLocus, Int32Array>>;

const broadOf = (name: string): string => {
  let n = name;
  for (let p = HLA_SPLIT_OF[n]; p !== undefined; p = HLA_SPLIT_OF[n]) n = p;
  return n;
};

const cache = new WeakMap<THlaCountingRules, TCanonicalTables>();

/** The canonical id tables for these rules (built once per rules object). */
export function canonicalTables(rules: THlaCountingRules): TCanonicalTables {
  const hit = cache.get(rules);
  if (hit) return hit;
  const build = (level: THlaLevel) => {
    const out = new Int32Array(HLA_ANTIGEN_COUNT);
    for (let id = 0; id < HLA_ANTIGEN_COUNT; id++) {
      let name = hlaAntigenById(id).name;
      name = rules.sameAs[name] ?? name;
      if (level === "broad") name = broadOf(name);
      out[id] = idOfAntigenName(name) ?? id;
    }
    return out;
  };
  const tables = { A: build(rules.levels.A), B: build(rules.levels.B), DR: build(rules.levels.DR) };
  cache.set(rules, tables);
  return tables;
}

/**
 * Whether two canonical antigens count as a match: the same, or (at split level) one is the broad
 * the other splits, since a typing at broad level may carry either split.
 */
export function canonicalMatch(a: number, b: number): boolean {
  if (a === b) return true;
  const na = hlaAntigenById(a).name;
  const nb = hlaAntigenById(b).name;
  return HLA_SPLIT_OF[na] === nb || HLA_SPLIT_OF[nb] === na;
}

/** Distinct canonical antigens of a typing at one locus. */
export function canonicalAntigens(
  typing: TParsedHlaTyping,
  locus: TCountedLocus,
  t: TCanonicalTables,
): number[] {
  const out: number[] = [];
  for (const id of typing[locus]) {
    const c = t[locus][id] as number;
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/**
 * Loci (of A, B, DR) at which the typing carries a single antigen once counted under the rules:
 * 0–3. Eurotransplant's zero-mismatch tier is sub-ordered by the candidate's level when the donor
 * is homozygous at all three.
 */
export function homozygosityLevel(typing: TParsedHlaTyping, t: TCanonicalTables): number {
  let level = 0;
  for (const locus of COUNTED_LOCI) if (canonicalAntigens(typing, locus, t).length === 1) level++;
  return level;
}
