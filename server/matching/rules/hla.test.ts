import { describe, expect, it } from "vitest";
import {
  hlaAntigenById,
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

describe("DRB3/4/5 (DR52/DR53/DR51) as their own locus", () => {
  const typed = (t: THlaTypingInput) => {
    const r = parseHlaTyping(t);
    if (!r.ok) throw new Error(r.errors.join(" "));
    return r.typing;
  };
  const names = (ids: readonly number[]) => ids.map((id) => hlaAntigenById(id).name);

  it.each([
    ["DRB5*01:01", "DR51"],
    ["DRB3*02:02", "DR52"],
    ["DRB4*01:03", "DR53"],
    ["DR53", "DR53"],
  ])("%s is %s at locus DRB345", (raw, name) => {
    const r = parseHlaAntigen(raw);
    expect(r.ok && [r.antigen.name, r.antigen.locus]).toEqual([name, "DRB345"]);
  });

  it("accepts a donor typed with DRB3/4/5 beside two DRB1 antigens, in the DR list or their own", () => {
    const inList = typed({
      A: ["A1"],
      B: ["B8"],
      DR: ["DRB1*15:01", "DRB1*04:01", "DRB5*01:01", "DRB4*01:01"],
    });
    expect(names(inList.DR)).toEqual(["DR15", "DR4"]);
    expect(names(inList.DRB345)).toEqual(["DR51", "DR53"]);
    const ownLocus = typed({ A: ["A1"], B: ["B8"], DR: ["DR15", "DR4"], DRB345: ["DR51", "DR53"] });
    expect(ownLocus).toEqual(inList);
  });

  it("still refuses a third DRB1 antigen, and a typing with DRB3/4/5 but no DRB1", () => {
    const three = parseHlaTyping({ A: ["A1"], B: ["B8"], DR: ["DR15", "DR4", "DR7"] });
    expect(three.ok).toBe(false);
    const none = parseHlaTyping({ A: ["A1"], B: ["B8"], DR: ["DR53"] });
    expect(!none.ok && none.errors).toEqual(["HLA-DR: typing is required."]);
  });

  it("does not count DRB3/4/5 in the DR mismatches", () => {
    const donor = typed({ A: ["A1"], B: ["B8"], DR: ["DR15", "DR4"], DRB345: ["DR51", "DR53"] });
    const cand = typed({ A: ["A1"], B: ["B8"], DR: ["DR15", "DR4"] });
    expect(countHlaMismatches(donor, cand).DR).toBe(0);
  });

  // Unacceptable DR51/52/53 against a donor typed at DRB1 only: the DRB1 antigen carries its product.
  const cases: { donorDR: string[]; donorDRB345?: string[]; unacceptable: string; hit: string | null }[] = [
    { donorDR: ["DRB1*15:01", "DRB1*04:01"], unacceptable: "DR51", hit: "DR15" },
    { donorDR: ["DRB1*15:01", "DRB1*04:01"], unacceptable: "DR53", hit: "DR4" },
    { donorDR: ["DRB1*15:01", "DRB1*04:01"], unacceptable: "DR52", hit: null },
    { donorDR: ["DR17", "DR13"], unacceptable: "DR52", hit: "DR17" },
    { donorDR: ["DR11", "DR7"], unacceptable: "DR53", hit: "DR7" },
    { donorDR: ["DR1", "DR8"], unacceptable: "DR51", hit: null },
    { donorDR: ["DR1", "DR10"], unacceptable: "DR53", hit: null },
    { donorDR: ["DR1", "DR8"], donorDRB345: ["DR52"], unacceptable: "DR52", hit: "DR52" },
  ];
  it.each(cases)("donor $donorDR $donorDRB345, unacceptable $unacceptable → $hit", (c) => {
    const donor = typed({ A: ["A1"], B: ["B8"], DR: c.donorDR, DRB345: c.donorDRB345 ?? [] });
    const u = parseUnacceptableAntigens([c.unacceptable]);
    if (!u.ok) throw new Error(u.errors.join(" "));
    const r = virtualCrossmatch(donor, u.ids);
    expect(r.compatible).toBe(c.hit === null);
    if (c.hit) expect(r.hits).toEqual([{ unacceptable: c.unacceptable, donorAntigen: c.hit }]);
  });
});
