import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ContractFactory, keccak256, toUtf8Bytes, Wallet, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorRegistryAt, createProvider, type TAnchorRegistry } from "@/server/chain/client";
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
    await expect(asStranger.anchor.staticCall(first.root, 5, ZeroHash)).rejects.toThrow(
      /AccessControlUnauthorizedAccount|reverted/,
    );
  });

  it("refuses a zero root, an empty batch and a wrong previous root", async () => {
    await expect(registry.anchor.staticCall(ZeroHash, 5, ZeroHash)).rejects.toThrow();
    await expect(registry.anchor.staticCall(first.root, 0, ZeroHash)).rejects.toThrow();
    await expect(registry.anchor.staticCall(first.root, 5, second.root)).rejects.toThrow();
  });

  it("appends batches in order and emits BatchAnchored", async () => {
    const tx1 = await registry.anchor(first.root, 5, ZeroHash);
    const receipt1 = await tx1.wait();
    const log = receipt1?.logs
      .map((l: { topics: readonly string[]; data: string }) => registry.interface.parseLog(l))
      .find(Boolean);
    expect(log?.name).toBe("BatchAnchored");
    expect(log?.args.batchIndex).toBe(0n);
    // The second batch must name the first one's root.
    await expect(registry.anchor.staticCall(second.root, 3, ZeroHash)).rejects.toThrow();
    await (await registry.anchor(second.root, 3, first.root)).wait();
    expect(await registry.batchCount()).toBe(2n);
    expect(await registry.latestRoot()).toBe(second.root);
    const [root, count] = await registry.batchAt(1);
    expect(root).toBe(second.root);
    expect(count).toBe(3n);
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
    await expect(registry.verify(9, leaf, proof)).rejects.toThrow();
  });
});
