/**
 * HLA antigen names at serological (broad/split) level, as waiting lists and donor typings carry
 * them. Each antigen gets a small integer id at module load, so typings can be parsed once and
 * compared with array lookups instead of strings in the hot matching loop.
 */

/**
 * Loci we type. DRB345 holds the DRB3, DRB4 and DRB5 products (DR52, DR53, DR51): their own locus
 * beside DRB1 (DR), at most one per haplotype, never counted in the A/B/DR mismatches.
 */
export const HLA_LOCI = ["A", "B", "C", "DR", "DRB345", "DQ", "DP"] as const;
export type THlaLocus = (typeof HLA_LOCI)[number];

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** WHO serological specificities we accept per locus. DP has no serological splits; any 1–999 is taken. */
const KNOWN: Record<THlaLocus, readonly number[]> = {
  A: [
    1, 2, 203, 210, 3, 9, 10, 11, 19, 23, 24, 2403, 25, 26, 28, 29, 30, 31, 32, 33, 34, 36, 43, 66, 68, 69,
    74, 80,
  ],
  B: [
    5, 7, 703, 8, 12, 13, 14, 15, 16, 17, 18, 21, 22, 27, 2708, 35, 37, 38, 39, 3901, 3902, 40, 4005, 41, 42,
    44, 45, 46, 47, 48, 49, 50, 51, 5102, 5103, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 67,
    70, 71, 72, 73, 75, 76, 77, 78, 81, 82, 83,
  ],
  C: [...range(1, 10), 12, 14, 15, 16, 17, 18],
  DR: [1, 103, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1403, 1404, 15, 16, 17, 18],
  DRB345: [51, 52, 53],
  DQ: range(1, 9),
  DP: range(1, 999),
};

/**
 * Split (or associated antigen) → its broad antigen. A split matches its broad; two different splits
 * of one broad do not match each other.
 */
export const HLA_SPLIT_OF: Readonly<Record<string, string>> = {
  A203: "A2",
  A210: "A2",
  A23: "A9",
  A24: "A9",
  A2403: "A24",
  A25: "A10",
  A26: "A10",
  A34: "A10",
  A66: "A10",
  A29: "A19",
  A30: "A19",
  A31: "A19",
  A32: "A19",
  A33: "A19",
  A74: "A19",
  A68: "A28",
  A69: "A28",
  B51: "B5",
  B52: "B5",
  B5102: "B51",
  B5103: "B51",
  B703: "B7",
  B44: "B12",
  B45: "B12",
  B64: "B14",
  B65: "B14",
  B62: "B15",
  B63: "B15",
  B75: "B15",
  B76: "B15",
  B77: "B15",
  B38: "B16",
  B39: "B16",
  B3901: "B39",
  B3902: "B39",
  B57: "B17",
  B58: "B17",
  B49: "B21",
  B50: "B21",
  B54: "B22",
  B55: "B22",
  B56: "B22",
  B2708: "B27",
  B60: "B40",
  B61: "B40",
  B4005: "B40",
  B71: "B70",
  B72: "B70",
  C9: "C3",
  C10: "C3",
  DR103: "DR1",
  DR15: "DR2",
  DR16: "DR2",
  DR17: "DR3",
  DR18: "DR3",
  DR11: "DR5",
  DR12: "DR5",
  DR13: "DR6",
  DR14: "DR6",
  DR1403: "DR14",
  DR1404: "DR14",
  DQ5: "DQ1",
  DQ6: "DQ1",
  DQ7: "DQ3",
  DQ8: "DQ3",
  DQ9: "DQ3",
};

export type THlaAntigen = { id: number; locus: THlaLocus; name: string };

const ANTIGENS: THlaAntigen[] = [];
const ID_BY_NAME = new Map<string, number>();
/** Serological prefix of a locus' antigen names (DRB345's are DR51, DR52, DR53). */
const NAME_PREFIX: Record<THlaLocus, string> = {
  A: "A",
  B: "B",
  C: "C",
  DR: "DR",
  DRB345: "DR",
  DQ: "DQ",
  DP: "DP",
};
for (const locus of HLA_LOCI) {
  for (const n of KNOWN[locus]) {
    const name = `${NAME_PREFIX[locus]}${n}`;
    ID_BY_NAME.set(name, ANTIGENS.length);
    ANTIGENS.push({ id: ANTIGENS.length, locus, name });
  }
}

/** Number of antigen ids; lookup tables indexed by id have this length. */
export const HLA_ANTIGEN_COUNT = ANTIGENS.length;

const parentOf = (id: number): number | undefined => {
  const p = HLA_SPLIT_OF[(ANTIGENS[id] as THlaAntigen).name];
  return p === undefined ? undefined : ID_BY_NAME.get(p);
};

const ANCESTORS: number[][] = ANTIGENS.map((a) => {
  const out: number[] = [];
  for (let p = parentOf(a.id); p !== undefined; p = parentOf(p)) out.push(p);
  return out;
});
const DESCENDANTS: number[][] = ANTIGENS.map(() => []);
ANCESTORS.forEach((ancestors, id) => {
  for (const a of ancestors) (DESCENDANTS[a] as number[]).push(id);
});

/**
 * The DRB3/4/5 product each DRB1 antigen is inherited with (DR51 with DR15/DR16, DR52 with DR3, DR5
 * and DR6 and their splits, DR53 with DR4, DR7, DR9; none with DR1, DR8, DR10). A donor typed at
 * DRB1 only carries it: an unacceptable DR51 is hit by a DRB1*15:01 donor whether or not DRB5 was typed.
 */
export const DRB345_OF: Readonly<Record<string, string>> = {
  DR2: "DR51",
  DR15: "DR51",
  DR16: "DR51",
  DR3: "DR52",
  DR17: "DR52",
  DR18: "DR52",
  DR5: "DR52",
  DR11: "DR52",
  DR12: "DR52",
  DR6: "DR52",
  DR13: "DR52",
  DR14: "DR52",
  DR1403: "DR52",
  DR1404: "DR52",
  DR4: "DR53",
  DR7: "DR53",
  DR9: "DR53",
};

/** The antigen itself, its broad(s) and its splits: every antigen that counts as the same specificity. */
export function relatedAntigenIds(id: number): number[] {
  return [id, ...(ANCESTORS[id] ?? []), ...(DESCENDANTS[id] ?? [])];
}

/** The id of an antigen by its serological name (`DR3`, `A9`), or undefined. */
export function idOfAntigenName(name: string): number | undefined {
  return ID_BY_NAME.get(name);
}

/** The antigen with this id. Precondition: id came from this module. */
export function hlaAntigenById(id: number): THlaAntigen {
  return ANTIGENS[id] as THlaAntigen;
}

/** Molecular loci that report at a serological DR/DQ/DP locus, and the DR51/52/53 loci (DRB345). */
const LOCUS_ALIASES: Record<string, THlaLocus> = {
  A: "A",
  B: "B",
  C: "C",
  CW: "C",
  DR: "DR",
  DRB1: "DR",
  DQ: "DQ",
  DQB1: "DQ",
  DP: "DP",
  DPW: "DP",
  DPB1: "DP",
};
const DRB_ASSOCIATED: Record<string, string> = { DRB3: "DR52", DRB4: "DR53", DRB5: "DR51" };
const NAME_PATTERN = /^(HLA-)?(CW|C|DRB[1345]|DR|DQB1|DQ|DPB1|DPW|DP|A|B)(\*)?(\d{1,4})(:\d{2,3})*$/;

export type THlaParseResult = { ok: true; antigen: THlaAntigen } | { ok: false; message: string };

/**
 * Parses one antigen name: serological (`A2`, `B44`, `Cw7`, `DR15`, `DQ6`, `DPw4`) or molecular, read at
 * its first field (`A*02:01` → A2, `DRB1*15:01` → DR15, `DRB4*01` → DR53). With `locus`, the antigen
 * must belong to it. Unknown names are refused with a message naming the antigen.
 */
export function parseHlaAntigen(raw: string, locus?: THlaLocus): THlaParseResult {
  const text = raw.trim().toUpperCase().replace(/\s+/g, "");
  const m = NAME_PATTERN.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `Unknown HLA antigen "${raw}": expected a locus (A, B, C/Cw, DR, DQ, DP) and a number, e.g. A2, B44, DR15 or A*02:01.`,
    };
  }
  const prefix = m[2] as string;
  const molecular = m[3] === "*";
  let digits = m[4] as string;
  if (molecular && m[5] === undefined && digits.length === 4) digits = digits.slice(0, 2); // old A*0201 notation
  let name: string;
  if (DRB_ASSOCIATED[prefix]) {
    if (!molecular)
      return { ok: false, message: `Unknown HLA antigen "${raw}": write ${prefix}* with an allele.` };
    name = DRB_ASSOCIATED[prefix] as string;
  } else {
    const l = LOCUS_ALIASES[prefix];
    if (!l || (molecular && prefix === "DR") || (!molecular && prefix.length > 2 && prefix !== "DPW")) {
      return { ok: false, message: `Unknown HLA antigen "${raw}": locus ${prefix} is not written this way.` };
    }
    name = `${l}${Number.parseInt(digits, 10)}`;
  }
  const id = ID_BY_NAME.get(name);
  if (id === undefined) {
    return { ok: false, message: `Unknown HLA antigen "${raw}": ${name} is not a recognised specificity.` };
  }
  const antigen = ANTIGENS[id] as THlaAntigen;
  // DR51/52/53 written among the DR antigens are read at their own locus (see parseHlaTyping).
  if (locus && antigen.locus !== locus && !(locus === "DR" && antigen.locus === "DRB345")) {
    return { ok: false, message: `HLA antigen "${raw}" is at locus ${antigen.locus}, not ${locus}.` };
  }
  return { ok: true, antigen };
}

/** A typing parsed to antigen ids, distinct per locus (a homozygous locus holds one id). */
export type TParsedHlaTyping = Readonly<Record<THlaLocus, readonly number[]>>;
export type THlaTypingInput = Partial<Record<THlaLocus, readonly string[]>>;

/**
 * Parses a typing (at most two antigens per locus). `required` loci must carry at least one antigen.
 * DR51, DR52 and DR53 (DRB3/4/5) are read at locus DRB345 wherever they are written, so a typing of
 * two DRB1 antigens with DRB3/4/5 beside them in the DR list is accepted, and the DR limit of two
 * counts DRB1 antigens only.
 * Returns every problem found, each naming its locus and antigen, so a form can show them together.
 */
export function parseHlaTyping(
  input: THlaTypingInput,
  required: readonly THlaLocus[] = ["A", "B", "DR"],
): { ok: true; typing: TParsedHlaTyping } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const typing = {} as Record<THlaLocus, number[]>;
  const written = {} as Record<THlaLocus, number>;
  for (const locus of HLA_LOCI) {
    typing[locus] = [];
    written[locus] = 0;
  }
  for (const locus of HLA_LOCI) {
    for (const n of input[locus] ?? []) {
      const r = parseHlaAntigen(n, locus);
      if (!r.ok) {
        errors.push(`HLA-${locus}: ${r.message}`);
        continue;
      }
      const at = r.antigen.locus;
      written[at]++;
      if (!typing[at].includes(r.antigen.id)) typing[at].push(r.antigen.id);
    }
  }
  for (const locus of HLA_LOCI) {
    const label = locus === "DRB345" ? "HLA-DRB3/4/5" : `HLA-${locus}`;
    if (written[locus] > 2) errors.push(`${label}: at most two antigens per locus, got ${written[locus]}.`);
    if (required.includes(locus) && written[locus] === 0) errors.push(`HLA-${locus}: typing is required.`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, typing };
}

/**
 * Parses a list of unacceptable antigens (any locus) to distinct ids; unknown names are reported.
 */
export function parseUnacceptableAntigens(
  names: readonly string[],
): { ok: true; ids: number[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const ids: number[] = [];
  for (const n of names) {
    const r = parseHlaAntigen(n);
    if (!r.ok) errors.push(`Unacceptable antigens: ${r.message}`);
    else if (!ids.includes(r.antigen.id)) ids.push(r.antigen.id);
  }
  return errors.length ? { ok: false, errors } : { ok: true, ids };
}
