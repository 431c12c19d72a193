import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256 } from "ethers";

/**
 * Merkle trees in OpenZeppelin's StandardMerkleTree convention: leaf =
 * keccak256(keccak256(abi.encode(eventHash))), sorted pairs. Precondition: `hashes` are in leaf
 * index order (the order stored in AnchorLeaf), so rebuilding gives the same root.
 */
export function buildTree(hashes: string[]): StandardMerkleTree<[string]> {
  if (hashes.length === 0) throw new Error("a batch needs at least one event");
  return StandardMerkleTree.of(
    hashes.map((h) => [h] as [string]),
    ["bytes32"],
  );
}

/** The leaf hash the contract's `verify` expects for an event hash. */
export function leafHash(hash: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [hash])));
}

/** Checks an inclusion proof against a root without any chain or database. */
export function verifyProof(root: string, hash: string, proof: string[]): boolean {
  return StandardMerkleTree.verify(root, ["bytes32"], [hash], proof);
}
