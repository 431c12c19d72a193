import { describe, expect, it } from "vitest";
import { ET_HLA_COUNTING, ET_MMP_TABLES } from "../policies/eurotransplant-tables";
import type { TCandidateAbo } from "./abo-compatibility";
import { etMismatchProbability } from "./et-mismatch-probability";
import { parseHlaTyping, type THlaTypingInput } from "./hla-antigens";
import { canonicalTables } from "./hla-counting";

const canon = canonicalTables(ET_HLA_COUNTING);
const mmp = (hla: THlaTypingInput, abo: TCandidateAbo, cpra: number) => {
  const t = parseHlaTyping(hla);
  if (!t.ok) throw new Error(t.errors.join(" "));
  return etMismatchProbability({ hla: t.typing, abo, cpra, canon, tables: ET_MMP_TABLES });
};

/**
 * Eurotransplant's 1994 mismatch probability (issue #16 rule 7). The first rows were computed by
 * the ETKidney simulator's own MMPService (calculate_et1994_mmp_and_matchfrequency, split table)
 * on the same antigens; typings are entered as splits and read as the simulator reads them (A, B
 * broad: A23 → A9, B51 → B5; DR17 → DR3).
 */
describe("ET mismatch probability, cross-checked with the simulator's formula", () => {
  const cases: { hla: THlaTypingInput; abo: TCandidateAbo; cpra: number; want: number }[] = [
    { hla: { A: ["A1", "A2"], B: ["B8", "B7"], DR: ["DR17", "DR15"] }, abo: "O", cpra: 0, want: 0.3962 },
    { hla: { A: ["A2"], B: ["B7"], DR: ["DR15"] }, abo: "A", cpra: 0, want: 64.727 },
    {
      hla: { A: ["A23", "A30"], B: ["B51", "B35"], DR: ["DR11", "DR13"] },
      abo: "B",
      cpra: 50,
      want: 82.9844,
    },
    { hla: { A: ["A36", "A80"], B: ["B67", "B82"], DR: ["DR10", "DR9"] }, abo: "AB", cpra: 0, want: 100 },
    { hla: { A: ["A1", "A3"], B: ["B7", "B8"], DR: ["DR4", "DR7"] }, abo: "O", cpra: 95, want: 86.5837 },
  ];
  it.each(cases)("$hla.A $hla.B $hla.DR, $abo, cPRA $cpra → $want", ({ hla, abo, cpra, want }) => {
    expect(mmp(hla, abo, cpra)).toBeCloseTo(want, 4);
  });
});

describe("ET mismatch probability, by hand", () => {
  it("cPRA 100: no donor can be crossmatch negative, so 100", () => {
    expect(mmp({ A: ["A1", "A2"], B: ["B8", "B7"], DR: ["DR17", "DR15"] }, "O", 100)).toBe(100);
  });
  it("A2 / B7 / DR15 homozygous, group A, cPRA 0", () => {
    // x = 0.2915, 0.125, 0.135641; p0 = (x_A x_B x_DR)² = 2.4427e-5.
    // Per locus, 2x(1−x) plus the squares of the table's other antigens, times the other loci's x²:
    //   A:  0.413055 + 0.084146 = 0.497201 × (x_B x_DR)² 2.87475e-4 = 1.42933e-4
    //   B:  0.218750 + 0.063608 = 0.282358 × (x_A x_DR)² 1.56335e-3 = 4.41426e-4
    //   DR: 0.234485 + 0.091745 = 0.326230 × (x_A x_B)² 1.32769e-3 = 4.33133e-4
    // p0 + p1 = 1.041919e-3; MMP = 100 · (1 − 0.4174 · 1.041919e-3)^1000 = 64.7270.
    expect(mmp({ A: ["A2"], B: ["B7"], DR: ["DR15"] }, "A", 0)).toBeCloseTo(64.727, 4);
  });
});
