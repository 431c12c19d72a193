import { describe, expect, it } from "vitest";
import { ET_HLA_COUNTING } from "../policies/eurotransplant-tables";
import { parseHlaTyping, type THlaTypingInput } from "./hla-antigens";
import { canonicalTables, homozygosityLevel } from "./hla-counting";
import { countHlaMismatches, createMismatchCounter } from "./hla-mismatch";

const typing = (t: THlaTypingInput) => {
  const r = parseHlaTyping(t);
  if (!r.ok) throw new Error(r.errors.join(" "));
  return r.typing;
};
const base = { A: ["A1", "A3"], B: ["B7", "B35"], DR: ["DR1", "DR4"] };

/**
 * Eurotransplant counts mismatches at broad level for A and B and at split level for DR, with DR17
 * and DR18 read as DR3 (issue #16 rule 2). Each row: donor and candidate differ at one locus; the
 * expected count is worked by hand, beside what the default (split everywhere) counting says.
 */
describe("ET mismatch counting (A, B broad; DR split; DR17/DR18 as DR3)", () => {
  const cases: {
    desc: string;
    donor: THlaTypingInput;
    cand: THlaTypingInput;
    et: [number, number, number];
    split: [number, number, number];
  }[] = [
    {
      desc: "A23 vs A24 (both A9)",
      donor: { ...base, A: ["A23", "A1"] },
      cand: { ...base, A: ["A24", "A1"] },
      et: [0, 0, 0],
      split: [1, 0, 0],
    },
    {
      desc: "A25 vs A26 (both A10)",
      donor: { ...base, A: ["A25", "A3"] },
      cand: { ...base, A: ["A26", "A3"] },
      et: [0, 0, 0],
      split: [1, 0, 0],
    },
    {
      desc: "A2403 vs A23 (A24 → A9)",
      donor: { ...base, A: ["A2403", "A1"] },
      cand: { ...base, A: ["A23", "A1"] },
      et: [0, 0, 0],
      split: [1, 0, 0],
    },
    {
      desc: "A2 vs A1 (different broads)",
      donor: { ...base, A: ["A2", "A3"] },
      cand: { ...base, A: ["A1", "A3"] },
      et: [1, 0, 0],
      split: [1, 0, 0],
    },
    {
      desc: "B51 vs B52 (both B5)",
      donor: { ...base, B: ["B51", "B7"] },
      cand: { ...base, B: ["B52", "B7"] },
      et: [0, 0, 0],
      split: [0, 1, 0],
    },
    {
      desc: "B44, B45 vs B12 (donor's two splits are one broad: 1 antigen)",
      donor: { ...base, B: ["B44", "B45"] },
      cand: { ...base, B: ["B8", "B7"] },
      et: [0, 1, 0],
      split: [0, 2, 0],
    },
    {
      desc: "DR17 vs DR18 (both DR3)",
      donor: { ...base, DR: ["DR17", "DR4"] },
      cand: { ...base, DR: ["DR18", "DR4"] },
      et: [0, 0, 0],
      split: [0, 0, 1],
    },
    {
      desc: "DR17 vs DR3",
      donor: { ...base, DR: ["DR17", "DR4"] },
      cand: { ...base, DR: ["DR3", "DR4"] },
      et: [0, 0, 0],
      split: [0, 0, 0],
    },
    {
      desc: "DR15 vs DR16 (splits of DR2 differ)",
      donor: { ...base, DR: ["DR15", "DR4"] },
      cand: { ...base, DR: ["DR16", "DR4"] },
      et: [0, 0, 1],
      split: [0, 0, 1],
    },
    {
      desc: "DR2 (broad only) vs DR15",
      donor: { ...base, DR: ["DR2", "DR4"] },
      cand: { ...base, DR: ["DR15", "DR4"] },
      et: [0, 0, 0],
      split: [0, 0, 0],
    },
    {
      desc: "DR11 vs DR12",
      donor: { ...base, DR: ["DR11", "DR4"] },
      cand: { ...base, DR: ["DR12", "DR4"] },
      et: [0, 0, 1],
      split: [0, 0, 1],
    },
    {
      desc: "DR1403 vs DR14",
      donor: { ...base, DR: ["DR1403", "DR4"] },
      cand: { ...base, DR: ["DR14", "DR4"] },
      et: [0, 0, 0],
      split: [0, 0, 0],
    },
    {
      desc: "DR1403 vs DR1404 (both DR14 for ET)",
      donor: { ...base, DR: ["DR1403", "DR4"] },
      cand: { ...base, DR: ["DR1404", "DR4"] },
      et: [0, 0, 0],
      split: [0, 0, 1],
    },
    {
      desc: "full mismatch",
      donor: { A: ["A2", "A11"], B: ["B8", "B44"], DR: ["DR15", "DR17"] },
      cand: base,
      et: [2, 2, 2],
      split: [2, 2, 2],
    },
    {
      desc: "homozygous donor counts once",
      donor: { A: ["A2"], B: ["B8"], DR: ["DR15"] },
      cand: base,
      et: [1, 1, 1],
      split: [1, 1, 1],
    },
  ];
  it.each(cases)("$desc", ({ donor, cand, et, split }) => {
    const e = createMismatchCounter(typing(donor), ET_HLA_COUNTING).count(typing(cand));
    expect([e.A, e.B, e.DR]).toEqual(et);
    const s = countHlaMismatches(typing(donor), typing(cand));
    expect([s.A, s.B, s.DR]).toEqual(split);
  });
});

describe("homozygosity level (loci with one antigen, as counted)", () => {
  const t = canonicalTables(ET_HLA_COUNTING);
  const cases: { typing: THlaTypingInput; level: number }[] = [
    { typing: { A: ["A2"], B: ["B7"], DR: ["DR15"] }, level: 3 },
    { typing: { A: ["A2", "A2"], B: ["B7"], DR: ["DR15", "DR4"] }, level: 2 },
    { typing: { A: ["A23", "A24"], B: ["B7", "B8"], DR: ["DR17", "DR18"] }, level: 2 },
    { typing: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR16"] }, level: 0 },
  ];
  it.each(cases)("$typing → $level", ({ typing: x, level }) => {
    expect(homozygosityLevel(typing(x), t)).toBe(level);
  });
});
