import {
  DRB345_OF,
  HLA_ANTIGEN_COUNT,
  HLA_LOCI,
  hlaAntigenById,
  idOfAntigenName,
  relatedAntigenIds,
  type TParsedHlaTyping,
} from "./hla-antigens";

export type TCrossmatchHit = { unacceptable: string; donorAntigen: string };

/**
 * A virtual crossmatch of one donor against many candidates' unacceptable antigens (A, B, C, DR,
 * DRB3/4/5, DQ, DP); DR51/52/53 are also hit through the DRB1 antigen they are inherited with. An unacceptable antigen offends when it is a donor antigen, its broad, or one of its
 * splits: a donor typed only at broad level may carry the split, so we err on the safe side.
 */
export type TVirtualCrossmatch = {
  /** True when none of the candidate's unacceptable antigen ids hits the donor. Allocation-free. */
  isCompatible(unacceptableIds: readonly number[]): boolean;
  /** The hits, each naming the unacceptable antigen and the donor antigen it hits. */
  hits(unacceptableIds: readonly number[]): TCrossmatchHit[];
};

/** Precomputes the donor side once per match run. */
export function createVirtualCrossmatch(donor: TParsedHlaTyping): TVirtualCrossmatch {
  // donorOf[u] = 1 + id of the donor antigen that unacceptable antigen u hits, 0 if none.
  const donorOf = new Int32Array(HLA_ANTIGEN_COUNT);
  for (const locus of HLA_LOCI) {
    for (const d of donor[locus]) for (const r of relatedAntigenIds(d)) donorOf[r] ||= d + 1;
  }
  // DRB1 antigens carry their DRB3/4/5 product, typed or not: the hit names the DRB1 antigen.
  for (const d of donor.DR) {
    const associated = DRB345_OF[hlaAntigenById(d).name];
    const id = associated === undefined ? undefined : idOfAntigenName(associated);
    if (id !== undefined) donorOf[id] ||= d + 1;
  }
  return {
    isCompatible(ids) {
      for (let i = 0; i < ids.length; i++) if (donorOf[ids[i] as number] !== 0) return false;
      return true;
    },
    hits(ids) {
      const out: TCrossmatchHit[] = [];
      for (const u of ids) {
        const d = donorOf[u] as number;
        if (d !== 0)
          out.push({ unacceptable: hlaAntigenById(u).name, donorAntigen: hlaAntigenById(d - 1).name });
      }
      return out;
    },
  };
}

/** Convenience for one pair: compatible, or the offending antigens. */
export function virtualCrossmatch(
  donor: TParsedHlaTyping,
  unacceptableIds: readonly number[],
): { compatible: boolean; hits: TCrossmatchHit[] } {
  const hits = createVirtualCrossmatch(donor).hits(unacceptableIds);
  return { compatible: hits.length === 0, hits };
}
