import { HLA_ANTIGEN_COUNT, relatedAntigenIds, type TParsedHlaTyping } from "./hla-antigens";
import { canonicalMatch, canonicalTables, type THlaCountingRules } from "./hla-counting";

export type THlaMismatch = { A: number; B: number; DR: number; total: number; zeroMismatch: boolean };

const MISMATCH_LOCI = ["A", "B", "DR"] as const;

/**
 * Counts HLA-A, -B and -DR mismatches of one donor against many candidates. The donor side is
 * precomputed once: for each antigen id, a bit per donor antigen it matches (itself, its broad or a
 * split of it), so a candidate costs at most six array reads and no allocation.
 */
export type THlaMismatchCounter = {
  /** Mismatches packed as A + 4·B + 16·DR (each 0–2), for hot loops. */
  packed(candidate: TParsedHlaTyping): number;
  count(candidate: TParsedHlaTyping): THlaMismatch;
};

/** Unpacks `THlaMismatchCounter.packed`. */
export function unpackMismatch(packed: number): THlaMismatch {
  const A = packed & 3;
  const B = (packed >> 2) & 3;
  const DR = (packed >> 4) & 3;
  const total = A + B + DR;
  return { A, B, DR, total, zeroMismatch: total === 0 };
}

/**
 * Builds a counter for this donor. A donor antigen is mismatched when no candidate antigen at its
 * locus is the same specificity (equal, its broad, or one of its splits); distinct donor antigens
 * only, so a homozygous locus counts once (0–2 per locus, 0–6 in all). With `rules` (a policy's
 * `hla`), antigens are first read as the rules say (broad level: A23 and A24 are both A9; `sameAs`:
 * DR17 and DR18 are DR3), and the distinct donor antigens are counted after that reading.
 */
export function createMismatchCounter(
  donor: TParsedHlaTyping,
  rules?: THlaCountingRules,
): THlaMismatchCounter {
  const tables = MISMATCH_LOCI.map((locus) => {
    const matchBits = new Uint8Array(HLA_ANTIGEN_COUNT);
    if (!rules) {
      const donorIds = donor[locus].slice(0, 2);
      donorIds.forEach((d, bit) => {
        for (const r of relatedAntigenIds(d)) matchBits[r] = (matchBits[r] as number) | (1 << bit);
      });
      return { locus, matchBits, allBits: (1 << donorIds.length) - 1 };
    }
    const canon = canonicalTables(rules)[locus];
    const donorIds: number[] = [];
    for (const d of donor[locus]) {
      const c = canon[d] as number;
      if (!donorIds.includes(c)) donorIds.push(c);
    }
    donorIds.splice(2);
    for (let r = 0; r < HLA_ANTIGEN_COUNT; r++) {
      const cr = canon[r] as number;
      donorIds.forEach((d, bit) => {
        if (canonicalMatch(d, cr)) matchBits[r] = (matchBits[r] as number) | (1 << bit);
      });
    }
    return { locus, matchBits, allBits: (1 << donorIds.length) - 1 };
  });
  const popcount2 = [0, 1, 1, 2];
  const packed = (candidate: TParsedHlaTyping): number => {
    let out = 0;
    for (let i = 0; i < 3; i++) {
      const t = tables[i] as (typeof tables)[number];
      const ids = candidate[t.locus];
      let matched = 0;
      for (let j = 0; j < ids.length; j++) matched |= t.matchBits[ids[j] as number] as number;
      out |= (popcount2[t.allBits & ~matched] as number) << (2 * i);
    }
    return out;
  };
  return { packed, count: (candidate) => unpackMismatch(packed(candidate)) };
}

/** Mismatches at A, B and DR of one donor–candidate pair (see `createMismatchCounter`). */
export function countHlaMismatches(donor: TParsedHlaTyping, candidate: TParsedHlaTyping): THlaMismatch {
  return createMismatchCounter(donor).count(candidate);
}
