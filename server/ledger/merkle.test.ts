import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import { buildTree, leafHash, merkleRoot, packedTree, verifyProof } from "./merkle";

const hashes = (n: number) => Array.from({ length: n }, (_, i) => keccak256(toUtf8Bytes(`event-${i}`)));

describe("merkle (StandardMerkleTree convention, checked against OpenZeppelin's library)", () => {
  for (const n of [1, 2, 3, 7, 8, 33]) {
    it(`a tree of ${n}: every proof verifies, and our leaf hash is OpenZeppelin's`, () => {
      const hs = hashes(n);
      const tree = buildTree(hs);
      hs.forEach((h, i) => {
        expect(leafHash(h)).toBe(tree.leafHash([h]));
        expect(verifyProof(tree.root, h, tree.getProof(i))).toBe(true);
        expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [h], tree.getProof(i))).toBe(true);
      });
    });
  }

  it("merkleRoot gives OpenZeppelin's root for every size from 1 to 70, in any leaf order", () => {
    for (let n = 1; n <= 70; n++) {
      const hs = hashes(n);
      expect(merkleRoot(hs), `${n} leaves`).toBe(buildTree(hs).root);
      expect(merkleRoot([...hs].reverse()), `${n} leaves reversed`).toBe(buildTree(hs).root);
    }
    expect(() => merkleRoot([])).toThrow(/at least one event/);
  });

  it("merkleRoot gives OpenZeppelin's root for batches as large as the anchoring worker sends", () => {
    for (const n of [257, 1_000, 1_537])
      expect(merkleRoot(hashes(n)), `${n} leaves`).toBe(buildTree(hashes(n)).root);
  }, 60_000);

  it("packedTree gives OpenZeppelin's root and every proof, for every size from 1 to 70", () => {
    for (let n = 1; n <= 70; n++) {
      const hs = hashes(n);
      const reference = buildTree(hs);
      const packed = packedTree(hs);
      expect(packed.root, `${n} leaves`).toBe(reference.root);
      expect(packed.size).toBe(n);
      for (let i = 0; i < n; i++)
        expect(packed.proof(i), `${n} leaves, leaf ${i}`).toEqual(reference.getProof(i));
    }
    expect(() => packedTree([])).toThrow(/at least one event/);
    expect(() => packedTree(hashes(3)).proof(3)).toThrow(/no leaf 3/);
  }, 60_000); // 70 reference trees through ethers' encoder: slow on a busy machine

  it("a verdict remembered is of exactly its inputs: the same proof with one change is checked again, and fails", () => {
    const hs = hashes(9);
    const tree = buildTree(hs);
    const proof = tree.getProof(4);
    expect(verifyProof(tree.root, hs[4] as string, proof)).toBe(true);
    expect(verifyProof(tree.root, hs[4] as string, proof)).toBe(true); // remembered
    const changed = [...proof];
    changed[1] = keccak256(toUtf8Bytes("forged sibling"));
    expect(verifyProof(tree.root, hs[4] as string, changed)).toBe(false);
    expect(verifyProof(tree.root, hs[5] as string, proof)).toBe(false);
    expect(verifyProof(buildTree(hashes(10)).root, hs[4] as string, proof)).toBe(false);
    // Elements run together differently (a sibling split across two) are not the same proof.
    const joined = `${proof[0]}${(proof[1] as string).slice(2)}`;
    expect(verifyProof(tree.root, hs[4] as string, [joined, ...proof.slice(2)])).toBe(false);
  });

  const table = [
    { desc: "tampered leaf", mutate: (_h: string, p: string[]) => [keccak256(toUtf8Bytes("x")), p] as const },
    {
      desc: "proof of another leaf",
      mutate: (_h: string, _p: string[], t: ReturnType<typeof buildTree>) =>
        [hashes(8)[0] as string, t.getProof(5)] as const,
    },
    { desc: "truncated proof", mutate: (h: string, p: string[]) => [h, p.slice(1)] as const },
  ];
  for (const { desc, mutate } of table) {
    it(`rejects a ${desc}`, () => {
      const tree = buildTree(hashes(8));
      const h = hashes(8)[3] as string;
      const [leaf, proof] = mutate(h, tree.getProof(3), tree);
      expect(verifyProof(tree.root, leaf, [...proof])).toBe(false);
    });
  }
});
