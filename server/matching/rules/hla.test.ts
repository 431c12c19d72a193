import { describe, expect, it } from "vitest";
import {
  parseHlaAntigen,
  parseHlaTyping,
  parseUnacceptableAntigens,
  type THlaTypingInput,
} from "./hla-antigens";
import { countHlaMismatches } from "./hla-mismatch";
import { virtualCrossmatch } from "./virtual-crossmatch";

describe("parseHlaAntigen", () => {
  const ok = [
    ["A2", "A2"],
    ["a2", "A2"],
    ["A02", "A2"],
    ["A*02", "A2"],
    ["A*02:01", "A2"],
    ["A*0201", "A2"],
    ["HLA-A*24:02", "A24"],
    ["A203", "A203"],
    ["B44", "B44"],
    ["B*44:02", "B44"],
    ["Cw7", "C7"],
    ["C7", "C7"],
    ["C*07:01", "C7"],
    ["DR15", "DR15"],
    ["DRB1*15:01", "DR15"],
    ["DRB4*01:01", "DR53"],
    ["DQ6", "DQ6"],
    ["DQB1*06:02", "DQ6"],
    ["DP4", "DP4"],
    ["DPw4", "DP4"],
    ["DPB1*04:01", "DP4"],
    [" dr 17 ", "DR17"],
  ] as const;
  for (const [raw, want] of ok) {
    it(`${JSON.stringify(raw)} → ${want}`, () => {
      const r = parseHlaAntigen(raw);
      expect(r.ok && r.antigen.name).toBe(want);
    });
  }
  const bad = ["A99", "B4", "DR19", "DQ10", "X5", "A", "A2x", "DRB115", "DR*15", "", "Cw19"];
  for (const raw of bad) {
    it(`refuses ${JSON.stringify(raw)} naming it`, () => {
      const r = parseHlaAntigen(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(`"${raw}"`);
    });
  }
  it("refuses an antigen under the wrong locus", () => {
    const r = parseHlaAntigen("B44", "A");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/at locus B, not A/);
  });
});

describe("parseHlaTyping", () => {
  it("collects every problem, naming locus and antigen", () => {
    const r = parseHlaTyping({ A: ["A2", "A99"], B: ["B7", "B8", "B44"], DR: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        expect.stringMatching(/^HLA-A: .*"A99"/),
        "HLA-B: at most two antigens per locus, got 3.",
        "HLA-DR: typing is required.",
      ]);
    }
  });
  it("refuses unknown unacceptable antigens", () => {
    const r = parseUnacceptableAntigens(["A2", "B99"]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('"B99"');
  });
});

const typing = (t: THlaTypingInput) => {
  const r = parseHlaTyping(t);
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.typing;
};

describe("countHlaMismatches", () => {
  const donor = typing({ A: ["A1", "A2"], B: ["B8", "B44"], DR: ["DR3", "DR15"] });
  const table: {
    desc: string;
    donor?: THlaTypingInput;
    cand: THlaTypingInput;
    want: [number, number, number];
  }[] = [
    {
      desc: "identical typing: 0-0-0",
      cand: { A: ["A1", "A2"], B: ["B8", "B44"], DR: ["DR3", "DR15"] },
      want: [0, 0, 0],
    },
    {
      desc: "all different: 2-2-2",
      cand: { A: ["A3", "A11"], B: ["B7", "B35"], DR: ["DR4", "DR7"] },
      want: [2, 2, 2],
    },
    {
      desc: "one per locus",
      cand: { A: ["A1", "A3"], B: ["B8", "B7"], DR: ["DR3", "DR4"] },
      want: [1, 1, 1],
    },
    {
      desc: "candidate broad matches donor split (B12 ~ B44, DR2 ~ DR15)",
      cand: { A: ["A1", "A2"], B: ["B8", "B12"], DR: ["DR3", "DR2"] },
      want: [0, 0, 0],
    },
    {
      desc: "candidate split matches donor broad (DR17 ~ DR3)",
      cand: { A: ["A1", "A2"], B: ["B8", "B44"], DR: ["DR17", "DR15"] },
      want: [0, 0, 0],
    },
    {
      desc: "sibling splits mismatch (B45 ≠ B44, DR16 ≠ DR15)",
      cand: { A: ["A1", "A2"], B: ["B8", "B45"], DR: ["DR3", "DR16"] },
      want: [0, 1, 1],
    },
    {
      desc: "associated antigen (A203 ~ A2)",
      cand: { A: ["A1", "A203"], B: ["B8", "B44"], DR: ["DR3", "DR15"] },
      want: [0, 0, 0],
    },
    {
      desc: "homozygous donor counts once",
      donor: { A: ["A2", "A2"], B: ["B7"], DR: ["DR4", "DR4"] },
      cand: { A: ["A1"], B: ["B8"], DR: ["DR1"] },
      want: [1, 1, 1],
    },
    {
      desc: "homozygous candidate: donor's other antigen mismatched",
      cand: { A: ["A1"], B: ["B8"], DR: ["DR3"] },
      want: [1, 1, 1],
    },
  ];
  for (const t of table) {
    it(t.desc, () => {
      const m = countHlaMismatches(t.donor ? typing(t.donor) : donor, typing(t.cand));
      expect([m.A, m.B, m.DR]).toEqual(t.want);
      expect(m.total).toBe(t.want[0] + t.want[1] + t.want[2]);
      expect(m.zeroMismatch).toBe(m.total === 0);
    });
  }
});

describe("virtualCrossmatch", () => {
  const donor = typing({
    A: ["A1", "A24"],
    B: ["B8", "B44"],
    C: ["Cw7"],
    DR: ["DR3", "DR15"],
    DQ: ["DQ2", "DQ6"],
    DP: ["DP4"],
  });
  const ids = (names: string[]) => {
    const r = parseUnacceptableAntigens(names);
    if (!r.ok) throw new Error(r.errors.join());
    return r.ids;
  };
  const table: {
    desc: string;
    unacceptable: string[];
    want: { unacceptable: string; donorAntigen: string }[];
  }[] = [
    { desc: "no unacceptable antigens", unacceptable: [], want: [] },
    { desc: "unrelated antigens", unacceptable: ["A2", "B7", "DR4", "DQ7", "DP1"], want: [] },
    { desc: "exact hit at A", unacceptable: ["A24"], want: [{ unacceptable: "A24", donorAntigen: "A24" }] },
    {
      desc: "broad unacceptable covers donor split",
      unacceptable: ["A9"],
      want: [{ unacceptable: "A9", donorAntigen: "A24" }],
    },
    { desc: "sibling split does not hit", unacceptable: ["A23", "B45"], want: [] },
    {
      desc: "hits at C, DQ and DP",
      unacceptable: ["C7", "DQ6", "DPB1*04:01"],
      want: [
        { unacceptable: "C7", donorAntigen: "C7" },
        { unacceptable: "DQ6", donorAntigen: "DQ6" },
        { unacceptable: "DP4", donorAntigen: "DP4" },
      ],
    },
  ];
  for (const t of table) {
    it(t.desc, () => {
      const r = virtualCrossmatch(donor, ids(t.unacceptable));
      expect(r.hits).toEqual(t.want);
      expect(r.compatible).toBe(t.want.length === 0);
    });
  }
  it("a split unacceptable against a broad-typed donor is a hit (conservative)", () => {
    const broad = typing({ A: ["A9"], B: ["B12"], DR: ["DR2"] });
    expect(virtualCrossmatch(broad, ids(["A24"])).hits).toEqual([
      { unacceptable: "A24", donorAntigen: "A9" },
    ]);
  });
});
