import { describe, expect, it } from "vitest";
import { headCommitment } from "@/server/ledger/hash";
import { buildTree } from "@/server/ledger/merkle";
import { checkBatch } from "./ledger-audit-batches";

const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const hashes = [h(1), h(2), h(3)];
const root = buildTree(hashes).root;
type TLeaf = {
  batchId: number;
  leafIndex: number;
  eventId: string;
  hash: string | null;
  eventExists: boolean;
};
const leaves: TLeaf[] = hashes.map((hash, leafIndex) => ({
  batchId: 4,
  leafIndex,
  eventId: `e${leafIndex}`,
  hash,
  eventExists: true,
}));
const batch = { id: 4, root, eventCount: 3, status: "CONFIRMED", leafFormat: 1 };

// Leaf format 2: the same events, then one head leaf per subject.
const heads = [
  { batchId: 4, leafIndex: 3, subjectType: "organ", subjectId: "a", sequence: 2, hash: h(2) },
  { batchId: 4, leafIndex: 4, subjectType: "organ", subjectId: "b", sequence: 1, hash: h(3) },
];
const root2 = buildTree([...hashes, ...heads.map(headCommitment)]).root;
const batch2 = { ...batch, root: root2, leafFormat: 2 };

const cases: Array<{
  desc: string;
  leaves: typeof leaves;
  batch?: typeof batch;
  chainRoot: string | null | undefined;
  want: string[];
}> = [
  { desc: "intact, checked against the chain", leaves, chainRoot: root, want: [] },
  { desc: "intact, no chain to ask", leaves, chainRoot: undefined, want: [] },
  { desc: "recorded but not on chain", leaves, chainRoot: null, want: ["batch-root:4:"] },
  {
    desc: "a leaf's event deleted",
    leaves: leaves.map((l) => (l.leafIndex === 1 ? { ...l, hash: null, eventExists: false } : l)),
    chainRoot: root,
    want: ["batch-root:4:e1"],
  },
  {
    desc: "a leaf deleted with its event",
    leaves: leaves.filter((l) => l.leafIndex !== 1),
    chainRoot: root,
    want: ["batch-count:4:", "batch-root:4:"],
  },
  {
    desc: "an event's stored hash rewritten",
    leaves: leaves.map((l) => (l.leafIndex === 2 ? { ...l, hash: h(9) } : l)),
    chainRoot: root,
    want: ["batch-root:4:"],
  },
  {
    // StandardMerkleTree sorts its leaves: a batch commits to a set of events, not to their order.
    desc: "leaves renumbered: the root is the same",
    leaves: [leaves[1], leaves[0], leaves[2]].map((l, k) => ({ ...(l as TLeaf), leafIndex: k })),
    chainRoot: root,
    want: [],
  },
  {
    desc: "the recorded root differs from the chain's",
    leaves,
    batch: { ...batch, root: h(7) },
    chainRoot: root,
    want: ["batch-root:4:"],
  },
  {
    desc: "the recorded root altered, no chain to ask",
    leaves,
    batch: { ...batch, root: h(7) },
    chainRoot: undefined,
    want: ["batch-root:4:"],
  },
];

const cases2: Array<{ desc: string; leaves: TLeaf[]; heads: typeof heads; want: string[] }> = [
  { desc: "format 2, intact", leaves, heads, want: [] },
  {
    desc: "format 2, a leaf's event deleted: the kept hash still rebuilds the root, the event is named",
    leaves: leaves.map((l) => (l.leafIndex === 1 ? { ...l, eventExists: false } : l)),
    heads,
    want: ["chain-gap:4:e1"],
  },
  {
    desc: "format 2, a head leaf removed",
    leaves,
    heads: heads.slice(0, 1),
    want: ["batch-root:4:"],
  },
  {
    desc: "format 2, a head leaf rewritten",
    leaves,
    heads: heads.map((x, i) => (i === 1 ? { ...x, sequence: 5 } : x)),
    want: ["batch-root:4:"],
  },
];

describe("checkBatch", () => {
  for (const c of cases2) {
    it(c.desc, () => {
      const got = checkBatch(batch2, c.leaves, root2, c.heads);
      expect(got.map((f) => `${f.check}:${f.batch}:${f.eventId ?? ""}`)).toEqual(c.want);
    });
  }

  for (const c of cases) {
    it(c.desc, () => {
      const got = checkBatch(c.batch ?? batch, c.leaves, c.chainRoot);
      expect(got.map((f) => `${f.check}:${f.batch}:${f.eventId ?? ""}`)).toEqual(c.want);
    });
  }

  it("names the first missing leaf index", () => {
    const [f] = checkBatch(
      batch,
      leaves.filter((l) => l.leafIndex !== 1),
      root,
    );
    expect(f?.message).toMatch(/committed to 3 events but the database holds 2 .*leaf 1 is missing/);
  });
});
