import type { TCandidateAbo } from "./abo-compatibility";
import { hlaAntigenById, type TParsedHlaTyping } from "./hla-antigens";
import { COUNTED_LOCI, canonicalAntigens, type TCanonicalTables } from "./hla-counting";

/** The frequency tables of Eurotransplant's 1994 formula (a policy's `mismatchProbability`). */
export type TMmpTables = {
  hlaFrequencies: Readonly<Record<"A" | "B" | "DR", Readonly<Record<string, number>>>>;
  unknownFrequency: number;
  bloodGroupFrequencies: Readonly<Record<TCandidateAbo, number>>;
  donors: number;
};

const round4 = (x: number) => Math.floor(x * 10_000 + 0.5) / 10_000;

/**
 * Eurotransplant's mismatch probability (1994): the chance, in percent, that none of the next
 * `donors` donors is blood-group identical, crossmatch negative and at most one A/B/DR antigen
 * mismatched, taking antigens, blood groups and sensitisation as independent:
 *   x_l  = sum of the candidate's antigen frequencies at locus l (A, B broad; DR split)
 *   p0   = Π x_l²                                   (no mismatch at any locus)
 *   p1   = Σ_l (p0 / x_l²) · (2·x_l·(1 − x_l) + Σ_{a ∉ candidate} f_a²)   (exactly one)
 *   MMP  = 100 · (1 − f_ABO · (1 − cPRA/100) · (p0 + p1))^donors, rounded to 4 decimals.
 * Antigens are read as the counting rules read them (`canon`), so the names are the tables' own.
 */
export function etMismatchProbability(opts: {
  hla: TParsedHlaTyping;
  abo: TCandidateAbo;
  cpra: number;
  canon: TCanonicalTables;
  tables: TMmpTables;
}): number {
  const { tables } = opts;
  const x: number[] = [];
  const hom: number[] = [];
  for (const locus of COUNTED_LOCI) {
    const freqs = tables.hlaFrequencies[locus];
    const names = canonicalAntigens(opts.hla, locus, opts.canon).map((id) => hlaAntigenById(id).name);
    let sum = 0;
    for (const n of names) sum += freqs[n] ?? tables.unknownFrequency;
    x.push(sum);
    let h = 0;
    for (const [n, f] of Object.entries(freqs)) if (!names.includes(n)) h += f * f;
    hom.push(h);
  }
  let p0 = 1;
  for (const xl of x) p0 *= xl * xl;
  let p1 = 0;
  for (let l = 0; l < x.length; l++) {
    const xl = x[l] as number;
    let others = 1;
    for (let k = 0; k < x.length; k++) if (k !== l) others *= (x[k] as number) ** 2;
    p1 += others * (2 * xl * (1 - xl) + (hom[l] as number));
  }
  const fAbo = tables.bloodGroupFrequencies[opts.abo];
  return round4(100 * (1 - fAbo * (1 - opts.cpra / 100) * (p0 + p1)) ** tables.donors);
}
