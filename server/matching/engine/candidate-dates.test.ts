import { describe, expect, it } from "vitest";
import { type TCandidateInput, ZCandidateSchema } from "./prepare-candidate";

const base: TCandidateInput = {
  id: "c1",
  centreId: "C-CHI",
  organ: "KIDNEY",
  status: "ACTIVE",
  abo: "O",
  hla: { A: ["A1", "A3"], B: ["B7", "B35"], DR: ["DR1", "DR7"] },
  unacceptable: [],
  cpra: 0,
  listedAt: "2024-01-01T00:00:00Z",
  dialysisStartedAt: "2023-01-01T00:00:00Z",
  dateOfBirth: "1970-01-01",
  sex: "M",
  heightCm: 175,
  weightKg: 80,
  location: { lat: 41.88, lon: -87.63 },
  country: "US",
  region: "7",
};

const nextYear = new Date().getUTCFullYear() + 1;

// Candidates with impossible dates once ranked as paediatric (issue #15's probe).
const cases: Array<{
  desc: string;
  input: Partial<TCandidateInput>;
  wantPath?: string;
  wantMessage?: RegExp;
}> = [
  { desc: "a life in order", input: {} },
  { desc: "born on 1900-01-01", input: { dateOfBirth: "1900-01-01", dialysisStartedAt: null } },
  {
    desc: "born 9999-12-31",
    input: { dateOfBirth: "9999-12-31" },
    wantPath: "dateOfBirth",
    wantMessage: /future/,
  },
  {
    desc: "born next year",
    input: { dateOfBirth: `${nextYear}-06-30` },
    wantPath: "dateOfBirth",
    wantMessage: /future/,
  },
  {
    desc: "born 1899-12-31",
    input: { dateOfBirth: "1899-12-31" },
    wantPath: "dateOfBirth",
    wantMessage: /1900/,
  },
  {
    desc: "dialysis since 1906",
    input: { dialysisStartedAt: "1906-01-01T00:00:00Z" },
    wantPath: "dialysisStartedAt",
    wantMessage: /before birth/,
  },
  {
    desc: "dialysis in the future",
    input: { dialysisStartedAt: `${nextYear}-01-01T00:00:00Z` },
    wantPath: "dialysisStartedAt",
    wantMessage: /future/,
  },
  {
    desc: "listed before birth",
    input: { listedAt: "1969-12-31T00:00:00Z" },
    wantPath: "listedAt",
    wantMessage: /before birth/,
  },
  { desc: "listed 0000-01-01", input: { listedAt: "0000-01-01T00:00:00Z" }, wantPath: "listedAt" },
  {
    desc: "listed in the future",
    input: { listedAt: `${nextYear}-01-01T00:00:00Z` },
    wantPath: "listedAt",
    wantMessage: /future/,
  },
];

describe("candidate dates fit one life", () => {
  for (const c of cases) {
    it(c.desc, () => {
      const parsed = ZCandidateSchema.safeParse({ ...base, ...c.input });
      if (!c.wantPath) {
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        return;
      }
      expect(parsed.success).toBe(false);
      const issue = parsed.error?.issues.find((i) => i.path.join(".") === c.wantPath);
      expect(issue, JSON.stringify(parsed.error?.issues)).toBeDefined();
      if (c.wantMessage) expect(issue?.message).toMatch(c.wantMessage);
    });
  }
});
