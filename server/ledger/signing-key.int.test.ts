import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { auditWholeLedger } from "@/server/regulator/ledger-audit";
import { deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker, type TAnchorWorker } from "./anchor-worker";
import { appendEvent, SYSTEM_ACTOR } from "./append-event";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";
import { eventHash } from "./hash";
import type { TFinding } from "./ledger-checks";
import { newSeed, signerFromSeed, type TPortalSigner } from "./signing-key";
import { recordKeyRotation } from "./signing-key-events";

const provider = createProvider(process.env.RPC_URL as string);
let wallet: Wallet;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  // A wallet of its own (funded by anvil), so no other test file races it for a nonce.
  wallet = Wallet.createRandom().connect(provider) as unknown as Wallet;
  await provider.send("anvil_setBalance", [wallet.address, "0x3635C9ADC5DEA00000"]);
});
afterAll(async () => {
  for (const c of cleanups) await c();
  provider.destroy();
});

async function ledgerSignedBy(signer: TPortalSigner) {
  const iso = await createIsolatedDatabase("signing");
  const registry: TAnchorRegistry = await deployAnchorRegistry(wallet);
  const worker: TAnchorWorker = createAnchorWorker({
    databaseUrl: iso.url,
    registry,
    intervalMs: 60_000,
    maxEvents: 1000,
    confirmations: 1,
    db: iso.db,
    log: () => {},
    autoStart: false,
    signer,
  });
  cleanups.push(async () => {
    await worker.stop();
    await iso.drop();
  });
  const append = (n: number, by: TPortalSigner) =>
    iso.db.$transaction((tx) =>
      appendEvent({
        tx,
        subject: { type: "organ", id: "keys" },
        type: "ledger.test",
        payload: { n },
        actor: SYSTEM_ACTOR,
        signer: by,
      }),
    );
  const anchor = async () => {
    while ((await worker.tick()) > 0);
  };
  const findings = async () => {
    const label = (f: TFinding) => `${f.check}:${f.eventId ?? f.subject}`;
    const audit = await auditWholeLedger({ registry, db: iso.db });
    const bundle = await exportAuditBundle({
      scope: { kind: "subject", subjectType: "organ", subjectId: "keys" },
      chain: { chainId: "31337", contract: await registry.getAddress(), confirmationsRequired: 1 },
      db: iso.db,
    });
    const verified = await verifyAuditBundle(bundle, registry);
    return { audit: audit.findings.map(label), verifier: verified.findings.map(label), bundle };
  };
  return { iso, worker, append, anchor, findings };
}

describe("the portal's signing key: introduced and rotated in the ledger, checked from it alone", () => {
  it("signatures on either side of a rotation verify; the retired key's later signatures do not", async () => {
    const [a, b] = [signerFromSeed(newSeed()), signerFromSeed(newSeed())];
    const l = await ledgerSignedBy(a);
    await l.append(1, a);
    await l.anchor();
    await recordKeyRotation({ current: a, next: b, db: l.iso.db });
    await l.append(2, b);
    await l.anchor();
    const clean = await l.findings();
    expect(clean.audit).toEqual([]);
    expect(clean.verifier).toEqual([]);
    expect(clean.bundle.signingKeys?.map((e) => e.type)).toEqual([
      "ledger.signing_key.introduced",
      "ledger.signing_key.rotated",
    ]);

    // A copy of the retired key (say, an old backup) signs a new event: refused, and named.
    const late = await l.append(3, a);
    await l.anchor();
    expect(await l.iso.db.anchorLeaf.findUnique({ where: { eventId: late.id } })).toBeNull();
    expect(l.worker.refused()[0]).toMatchObject({
      eventId: late.id,
      problem: expect.stringMatching(/rotated away/),
    });
    const after = await l.findings();
    expect(after.audit).toEqual([`signature:${late.id}`]);
    expect(after.verifier).toEqual([`signature:${late.id}`]);
  });

  it("a ledger from before signing: its unsigned events are anchored before the key's introduction and verify; a later unsigned one is refused", async () => {
    const a = signerFromSeed(newSeed());
    const l = await ledgerSignedBy(a);
    // Two events as an older portal wrote them: hashed and linked, no signature.
    let prevHash: string | null = null;
    const insertUnsigned = async (sequence: number) => {
      const fields = {
        salt: `0x${String(sequence).repeat(64)}`,
        subjectType: "organ",
        subjectId: "keys",
        sequence,
        type: "ledger.test",
        schemaVersion: 1,
        actor: { userId: null, role: "SYSTEM", orgId: null },
        serverTime: (sequence <= 2
          ? new Date(Date.UTC(2026, 10, 1, 0, 0, sequence))
          : new Date()
        ).toISOString(),
        reportedTime: null,
        payload: { n: sequence },
        prevHash,
      };
      const hash = eventHash(fields);
      await l.iso.tamper(
        `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion",
           "actorUserId", "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash)
         VALUES (gen_random_uuid(), 'organ', 'keys', $1, 'ledger.test', 1, NULL, 'SYSTEM', NULL, $2, NULL, $3, $4, $5, $6)`,
        [sequence, fields.serverTime, JSON.stringify(fields.payload), fields.salt, prevHash, hash],
      );
      prevHash = hash;
      return hash;
    };
    await insertUnsigned(1);
    await insertUnsigned(2);
    await l.anchor();
    expect(await l.iso.db.anchorLeaf.count()).toBe(3); // the two old events, then the key's introduction
    await l.append(3, a);
    await l.anchor();
    const clean = await l.findings();
    expect(clean.audit).toEqual([]);
    expect(clean.verifier).toEqual([]);

    // Once the key is introduced and anchored, an unsigned event is never anchored.
    prevHash = (await l.iso.db.ledgerEvent.findFirstOrThrow({ where: { subjectId: "keys", sequence: 3 } }))
      .hash;
    const hash = await insertUnsigned(4);
    await l.anchor();
    const refused = l.worker.refused()[0];
    expect(refused).toMatchObject({
      subject: "organ:keys",
      sequence: 4,
      problem: expect.stringMatching(/not signed/),
    });
    const id = refused?.eventId as string;
    expect((await l.iso.db.ledgerEvent.findUniqueOrThrow({ where: { id } })).hash).toBe(hash);
    const after = await l.findings();
    expect(after.audit).toEqual([`signature:${id}`]);
    expect(after.verifier).toEqual([`signature:${id}`]);
  });
});
