import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ContractFactory, keccak256, toUtf8Bytes, Wallet, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorRegistryAt, createProvider, readBatch, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { ANVIL_TEST_KEYS } from "@/test/setup/chain";

const provider = createProvider(process.env.RPC_URL as string);
const admin = new Wallet(ANVIL_TEST_KEYS.contracts, provider);
const stranger = new Wallet(ANVIL_TEST_KEYS.stranger, provider);
let registry: TAnchorRegistry;

const eventHashes = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => keccak256(toUtf8Bytes(`${tag}-${i}`)));
const treeOf = (hashes: string[]) =>
  StandardMerkleTree.of(
    hashes.map((h) => [h]),
    ["bytes32"],
  );

/** The custom error a call reverted with, by name and arguments (ethers decodes it from the ABI). */
async function revertOf(call: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
  try {
    await call;
  } catch (err) {
    const revert = (err as { revert?: { name: string; args: unknown[] } }).revert;
    if (revert) return { name: revert.name, args: [...revert.args] };
    throw err;
  }
  throw new Error("the call did not revert");
}

beforeAll(async () => {
  const a = artifact("AnchorRegistry");
  const deployed = await new ContractFactory(a.abi as never, a.bytecode, admin).deploy(admin.address);
  await deployed.waitForDeployment();
  registry = anchorRegistryAt(await deployed.getAddress(), admin);
});
afterAll(() => provider.destroy());

describe("AnchorRegistry", () => {
  const first = treeOf(eventHashes("first", 5));
  const second = treeOf(eventHashes("second", 3));

  it("refuses an anchor from an account without the anchorer role", async () => {
    const asStranger = anchorRegistryAt(await registry.getAddress(), stranger);
    const revert = await revertOf(asStranger.anchor.staticCall(first.root, 5, ZeroHash));
    expect(revert.name).toBe("AccessControlUnauthorizedAccount");
    expect(revert.args).toEqual([stranger.address, await registry.ANCHORER_ROLE?.()]);
  });

  it("refuses a zero root, an empty batch and a wrong previous root, naming the error", async () => {
    expect((await revertOf(registry.anchor.staticCall(ZeroHash, 5, ZeroHash))).name).toBe(
      "AnchorRegistryZeroRoot",
    );
    expect((await revertOf(registry.anchor.staticCall(first.root, 0, ZeroHash))).name).toBe(
      "AnchorRegistryEmptyBatch",
    );
    expect(await revertOf(registry.anchor.staticCall(first.root, 5, second.root))).toEqual({
      name: "AnchorRegistryWrongPreviousRoot",
      args: [ZeroHash, second.root],
    });
  });

  it("appends batches in order, emits BatchAnchored, and keeps what batchAt offered", async () => {
    const tx1 = await registry.anchor(first.root, 5, ZeroHash);
    const receipt1 = await tx1.wait();
    const log = receipt1?.logs
      .map((l: { topics: readonly string[]; data: string }) => registry.interface.parseLog(l))
      .find(Boolean);
    expect(log?.name).toBe("BatchAnchored");
    expect(log?.args.batchIndex).toBe(0n);
    // The second batch must name the first one's root.
    expect(await revertOf(registry.anchor.staticCall(second.root, 3, ZeroHash))).toEqual({
      name: "AnchorRegistryWrongPreviousRoot",
      args: [first.root, ZeroHash],
    });
    const receipt2 = await (await registry.anchor(second.root, 3, first.root)).wait();
    expect(await registry.batchCount()).toBe(2n);
    expect(await registry.latestRoot()).toBe(second.root);
    const [root, previousRoot] = await registry.batchAt(1);
    expect(root).toBe(second.root);
    expect(previousRoot).toBe(first.root);
    expect((await registry.batchAt(0))[1]).toBe(ZeroHash);
    // Size, time and block of a batch: from its event, as batchAt gave them before.
    const block = await provider.getBlock(receipt2?.blockNumber ?? 0);
    expect(await readBatch(registry, 1)).toEqual({
      index: 1,
      root: second.root,
      previousRoot: first.root,
      count: 3,
      blockNumber: receipt2?.blockNumber,
      timestamp: block?.timestamp,
      txHash: receipt2?.hash,
    });
    expect((await revertOf(registry.batchAt(2))).name).toBe("AnchorRegistryUnknownBatch");
    expect(await readBatch(registry, 2)).toBeNull();
  });

  it("costs at most 67,500 gas per batch (within 1.5 times the floor of one slot, one log)", async () => {
    let previous = await registry.latestRoot();
    const used: number[] = [];
    for (const size of [1, 100, 10_000]) {
      const tree = treeOf(eventHashes(`gas-${size}`, Math.min(size, 4)));
      const receipt = await (await registry.anchor(tree.root, size, previous)).wait();
      previous = tree.root;
      used.push(Number(receipt?.gasUsed));
    }
    for (const gas of used) expect(gas).toBeLessThanOrEqual(67_500);
  });

  it("verifies a valid proof and rejects a tampered leaf, a wrong batch and a wrong proof", async () => {
    const [i, [hash]] = [...first.entries()][2] as [number, [string]];
    const proof = first.getProof(i);
    const leaf = first.leafHash([hash]);
    expect(await registry.verify(0, leaf, proof)).toBe(true);
    const tampered = first.leafHash([keccak256(toUtf8Bytes("tampered"))]);
    expect(await registry.verify(0, tampered, proof)).toBe(false);
    expect(await registry.verify(1, leaf, proof)).toBe(false);
    expect(await registry.verify(0, leaf, second.getProof(0))).toBe(false);
    expect(await revertOf(registry.verify(9, leaf, proof))).toEqual({
      name: "AnchorRegistryUnknownBatch",
      args: [9n],
    });
  });
});
