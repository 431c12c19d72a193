import { Wallet } from "ethers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { auditWholeLedger } from "@/server/regulator/ledger-audit";
import { deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker, type TAnchorWorker } from "./anchor-worker";
import { appendEvent, type TActor, type TAppendedEvent } from "./append-event";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";
import { eventHash } from "./hash";
import type { TFinding } from "./ledger-checks";

/**
 * The tamper table of docs/trust-model.md, one test per row: each tampers as the database owner
 * with triggers disabled (as a superuser could), then requires the whole-ledger audit AND the
 * offline verifier (on the subject's bundle, against the chain) to name exactly the event or
 * subject and the check, and nothing else of that subject.
 */
const actor: TActor = { userId: "u-1", role: "COURIER", orgId: "o-1" };
const provider = createProvider(process.env.RPC_URL as string);
let wallet: Wallet;
// Each row gets a ledger (schema and AnchorRegistry) of its own, so no row's findings mix with another's.
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let registry: TAnchorRegistry;
let worker: TAnchorWorker;
let log: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  // A wallet of its own (funded by anvil), so no other test file races it for a nonce.
  wallet = Wallet.createRandom().connect(provider) as unknown as Wallet;
  await provider.send("anvil_setBalance", [wallet.address, "0x3635C9ADC5DEA00000"]);
});
beforeEach(async () => {
  iso = await createIsolatedDatabase("tamper");
  registry = await deployAnchorRegistry(wallet);
  log = [];
  const lines = log;
  worker = createAnchorWorker({
    databaseUrl: iso.url,
    registry,
    intervalMs: 60_000,
    maxEvents: 1000,
    confirmations: 1,
    db: iso.db,
    log: (l) => lines.push(l),
    autoStart: false,
  });
  const [w, i] = [worker, iso];
  cleanups.push(async () => {
    await w.stop();
    await i.drop();
  });
});
afterAll(async () => {
  for (const c of cleanups) await c();
  provider.destroy();
});

const anchor = async () => {
  while ((await worker.tick()) > 0);
};

async function subjectWith(name: string, n: number): Promise<TAppendedEvent[]> {
  const out: TAppendedEvent[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(
      await iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: { type: "organ", id: name },
          type: "ledger.test",
          payload: { n: i, subject: name },
          actor,
        }),
      ),
    );
  }
  return out;
}

/** The stored row of an event, in the hashed form (to forge a well-formed one from it). */
async function fieldsOf(id: string) {
  const r = await iso.db.ledgerEvent.findUniqueOrThrow({ where: { id } });
  return {
    row: r,
    fields: {
      salt: r.salt,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      sequence: r.sequence,
      type: r.type,
      schemaVersion: r.schemaVersion,
      actor: { userId: r.actorUserId, role: r.actorRole, orgId: r.actorOrgId },
      serverTime: r.serverTime.toISOString(),
      reportedTime: r.reportedTime?.toISOString() ?? null,
      payload: r.payload as Record<string, unknown>,
      prevHash: r.prevHash,
    },
  };
}

const INSERT = `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion",
   "actorUserId", "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash,
   signature, "signedBy")
 VALUES ($1, 'organ', $2, $3, 'ledger.test', 1, 'u-1', 'COURIER', 'o-1', $4, NULL, $5, $6, $7, $8, $9, $10)`;

const label = (f: TFinding) => `${f.check}:${f.eventId ?? `${f.subject}#${f.sequence}`}`;

/** The audit's and the verifier's findings about `subject` (and its events), as `check:event`. */
async function findingsAbout(subject: string, eventIds: string[]) {
  const about = (f: TFinding) =>
    f.subject === `organ:${subject}` || (f.eventId !== undefined && eventIds.includes(f.eventId));
  const audit = await auditWholeLedger({ registry, db: iso.db });
  const bundle = await exportAuditBundle({
    scope: { kind: "subject", subjectType: "organ", subjectId: subject },
    chain: { chainId: "31337", contract: await registry.getAddress(), confirmationsRequired: 1 },
    db: iso.db,
  });
  const verified = await verifyAuditBundle(bundle, registry);
  // Nothing elsewhere in the ledger is blamed for this subject's tampering.
  expect(audit.findings.filter((f) => !about(f)).map(label)).toEqual([]);
  expect(verified.findings.filter((f) => !about(f)).map(label)).toEqual([]);
  return {
    audit: audit.findings.map(label).sort(),
    verifier: verified.findings.map(label).sort(),
    auditFindings: audit.findings,
    verifierFindings: verified.findings,
  };
}

const ids = (events: TAppendedEvent[]) => events.map((e) => e.id);

describe("every kind of tampering is named exactly, by the audit and by the verifier", () => {
  it("an untouched ledger: no findings from either", async () => {
    const events = await subjectWith("clean", 3);
    await anchor();
    const r = await findingsAbout("clean", ids(events));
    expect(r.audit).toEqual([]);
    expect(r.verifier).toEqual([]);
  });

  it("payload changed → `hash` on the event", async () => {
    const events = await subjectWith("payload", 5);
    await anchor();
    const e2 = events[1] as TAppendedEvent;
    await iso.tamper(`UPDATE "LedgerEvent" SET payload = '{"n": 99}' WHERE id = $1`, [e2.id]);
    const r = await findingsAbout("payload", ids(events));
    expect(r.audit).toEqual([`hash:${e2.id}`]);
    expect(r.verifier).toEqual([`hash:${e2.id}`]);
  });

  it("changed and rehashed → `proof` (not the hash its batch anchored) and `signature` on the edited event, not the next", async () => {
    const events = await subjectWith("rehash", 5);
    await anchor();
    const e2 = events[1] as TAppendedEvent;
    const { fields } = await fieldsOf(e2.id);
    const edited = { ...fields, payload: { n: 42, subject: "rehash" } };
    await iso.tamper(`UPDATE "LedgerEvent" SET payload = $2, hash = $3 WHERE id = $1`, [
      e2.id,
      JSON.stringify(edited.payload),
      eventHash(edited),
    ]);
    const r = await findingsAbout("rehash", ids(events));
    const want = [`proof:${e2.id}`, `signature:${e2.id}`].sort();
    expect(r.audit).toEqual(want);
    expect(r.verifier).toEqual(want);
  });

  it("a subject's tail rewritten and rehashed → `proof` and `signature` on each rewritten event", async () => {
    const events = await subjectWith("tail", 5);
    await anchor();
    let prevHash = (events[1] as TAppendedEvent).hash;
    for (const e of events.slice(2)) {
      const { fields } = await fieldsOf(e.id);
      const rewritten = { ...fields, payload: { ...fields.payload, rewritten: true }, prevHash };
      prevHash = eventHash(rewritten);
      await iso.tamper(`UPDATE "LedgerEvent" SET payload = $2, "prevHash" = $3, hash = $4 WHERE id = $1`, [
        e.id,
        JSON.stringify(rewritten.payload),
        rewritten.prevHash,
        prevHash,
      ]);
    }
    const r = await findingsAbout("tail", ids(events));
    const want = events
      .slice(2)
      .flatMap((e) => [`proof:${e.id}`, `signature:${e.id}`])
      .sort();
    expect(r.audit).toEqual(want);
    expect(r.verifier).toEqual(want);
  });

  it("an event deleted in the middle → `chain-gap` naming the subject and the missing sequence", async () => {
    const events = await subjectWith("middle", 5);
    await anchor();
    const e3 = events[2] as TAppendedEvent;
    await iso.tamper(`DELETE FROM "LedgerEvent" WHERE id = $1`, [e3.id]);
    const r = await findingsAbout("middle", ids(events));
    // The audit also names the deleted event's id, from the leaf its batch kept.
    expect(r.audit).toEqual([`chain-gap:${e3.id}`, "chain-gap:organ:middle#3"].sort());
    expect(r.verifier).toEqual(["chain-gap:organ:middle#3"]);
    expect(r.verifierFindings[0]?.message).toMatch(/event #3 is missing \(deleted\)/);
  });

  it("the last anchored event of a subject deleted → `head` naming the subject and its last sequence", async () => {
    const events = await subjectWith("last", 5);
    await anchor();
    const e5 = events[4] as TAppendedEvent;
    await iso.tamper(`DELETE FROM "LedgerEvent" WHERE id = $1`, [e5.id]);
    const r = await findingsAbout("last", ids(events));
    expect(r.audit).toEqual([`chain-gap:${e5.id}`, "head:organ:last#5"].sort());
    expect(r.verifier).toEqual(["head:organ:last#5"]);
    expect(r.verifierFindings[0]?.message).toMatch(
      /ends at #4, but batch \d+ committed to its history up to #5/,
    );
  });

  it("a whole subject deleted → `head` naming the subject", async () => {
    const events = await subjectWith("gone", 4);
    await anchor();
    await iso.tamper(`DELETE FROM "LedgerEvent" WHERE "subjectId" = 'gone'`);
    const r = await findingsAbout("gone", ids(events));
    expect(r.audit).toEqual([...events.map((e) => `chain-gap:${e.id}`), "head:organ:gone#4"].sort());
    expect(r.verifier).toEqual(["head:organ:gone#4"]);
    expect(r.verifierFindings[0]?.message).toMatch(/has no events.*the whole subject was deleted/);
  });

  it("an event inserted → `not-anchored` and `signature` on it (and `hash` on the events renumbered behind it)", async () => {
    const events = await subjectWith("insert", 5);
    await anchor();
    // The attacker renumbers #4–#5 and slips a well-formed (hashed, linked) event in as #4.
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = sequence + 10 WHERE "subjectId" = 'insert' AND sequence >= 4;` +
        `UPDATE "LedgerEvent" SET sequence = sequence - 9 WHERE "subjectId" = 'insert' AND sequence >= 14;`,
    );
    const { fields, row } = await fieldsOf((events[2] as TAppendedEvent).id);
    const forged = {
      ...fields,
      salt: `0x${"11".repeat(32)}`,
      sequence: 4,
      serverTime: new Date(row.serverTime.getTime() + 1).toISOString(),
      payload: { n: 3.5, subject: "insert" },
      prevHash: row.hash,
    };
    const forgedId = "0badc0de-0000-4000-8000-000000000004";
    await iso.tamper(INSERT, [
      forgedId,
      "insert",
      4,
      forged.serverTime,
      JSON.stringify(forged.payload),
      forged.salt,
      forged.prevHash,
      eventHash(forged),
      row.signature, // a real signature, of another hash
      row.signedBy,
    ]);
    const r = await findingsAbout("insert", [...ids(events), forgedId]);
    const want = [
      `not-anchored:${forgedId}`,
      `signature:${forgedId}`,
      `hash:${events[3]?.id}`,
      `hash:${events[4]?.id}`,
    ].sort();
    expect(r.audit).toEqual(want);
    expect(r.verifier).toEqual(want);
  });

  it("two events swapped → `hash` on exactly the two", async () => {
    const events = await subjectWith("swap", 5);
    await anchor();
    const [x, y] = [events[1] as TAppendedEvent, events[2] as TAppendedEvent];
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = -1 WHERE id = '${x.id}';` +
        `UPDATE "LedgerEvent" SET sequence = 2 WHERE id = '${y.id}';` +
        `UPDATE "LedgerEvent" SET sequence = 3 WHERE id = '${x.id}';`,
    );
    const r = await findingsAbout("swap", ids(events));
    const want = [`hash:${x.id}`, `hash:${y.id}`].sort();
    expect(r.audit).toEqual(want);
    expect(r.verifier).toEqual(want);
  });

  it("an event forged and appended before anchoring → refused by the anchor worker, `signature` on it", async () => {
    const events = await subjectWith("forged", 3);
    await anchor();
    const last = events[2] as TAppendedEvent;
    const { fields } = await fieldsOf(last.id);
    const forged = {
      ...fields,
      salt: `0x${"22".repeat(32)}`,
      sequence: 4,
      serverTime: new Date(last.serverTime.getTime() + 1000).toISOString(),
      payload: { n: 4, subject: "forged", handedTo: "someone-else" },
      prevHash: last.hash,
    };
    const forgedId = "0badc0de-0000-4000-8000-000000000009";
    // A valid hash and link, signed with a key of the attacker's own making under the portal's key id.
    const { signerFromSeed, newSeed } = await import("./signing-key");
    const attacker = signerFromSeed(newSeed());
    const hash = eventHash(forged);
    await iso.tamper(INSERT, [
      forgedId,
      "forged",
      4,
      forged.serverTime,
      JSON.stringify(forged.payload),
      forged.salt,
      forged.prevHash,
      hash,
      attacker.sign(hash),
      last.id ? (await iso.db.ledgerEvent.findUniqueOrThrow({ where: { id: last.id } })).signedBy : null,
    ]);
    await anchor();
    expect(await iso.db.anchorLeaf.findUnique({ where: { eventId: forgedId } })).toBeNull();
    expect(worker.refused().map((x) => x.eventId)).toContain(forgedId);
    expect(log.join("\n")).toMatch(new RegExp(`refusing to anchor event ${forgedId} \\(organ:forged #4\\)`));
    const r = await findingsAbout("forged", [...ids(events), forgedId]);
    expect(r.audit).toEqual([`signature:${forgedId}`]);
    expect(r.verifier).toEqual([`signature:${forgedId}`]);
  });

  it("an event copied from another subject → refused by the anchor worker, `signature` on the copy", async () => {
    const source = await subjectWith("copy-from", 2);
    const events = await subjectWith("copy-to", 3);
    await anchor();
    const { fields, row } = await fieldsOf((source[1] as TAppendedEvent).id);
    const to = events[2] as TAppendedEvent;
    // Re-addressed to the other subject so that it links and hashes, keeping its real signature.
    const copy = {
      ...fields,
      subjectId: "copy-to",
      sequence: 4,
      prevHash: to.hash,
      serverTime: new Date(to.serverTime.getTime() + 1).toISOString(),
    };
    const copyId = "0badc0de-0000-4000-8000-00000000000c";
    await iso.tamper(INSERT, [
      copyId,
      "copy-to",
      4,
      copy.serverTime,
      JSON.stringify(copy.payload),
      copy.salt,
      copy.prevHash,
      eventHash(copy),
      row.signature,
      row.signedBy,
    ]);
    await anchor();
    expect(await iso.db.anchorLeaf.findUnique({ where: { eventId: copyId } })).toBeNull();
    expect(worker.refused().map((x) => x.eventId)).toContain(copyId);
    const r = await findingsAbout("copy-to", [...ids(events), copyId]);
    expect(r.audit).toEqual([`signature:${copyId}`]);
    expect(r.verifier).toEqual([`signature:${copyId}`]);
  });
});
