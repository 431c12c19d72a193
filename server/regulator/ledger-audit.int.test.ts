import { randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { eventHash } from "@/server/ledger/hash";
import type { TFinding } from "@/server/ledger/verify-events";
import { ANVIL_TEST_KEYS, anchorEverything, deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { auditWholeLedger, type TLedgerAuditProgress } from "./ledger-audit";
import { ledgerAuditSettled, ledgerAuditStatus, startLedgerAudit } from "./ledger-audit-job";

const actor: TActor = { userId: null, role: "SYSTEM", orgId: null };
const provider = createProvider(process.env.RPC_URL as string);
const wallet = new Wallet(ANVIL_TEST_KEYS.ledgerAudit, provider);
let registry: TAnchorRegistry;
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  iso = await createIsolatedDatabase("audit");
  registry = await deployAnchorRegistry(wallet);
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
});

const anchorAll = (maxEvents: number) => anchorEverything({ iso, registry, maxEvents });

type TEvent = Awaited<ReturnType<typeof appendEvent>>;
const base = Date.parse("2026-11-26T08:00:00.000Z");

/** Five events per subject, a second apart, interleaved across subjects as a live ledger is. */
async function appendInterleaved(subjects: string[]): Promise<Map<string, TEvent[]>> {
  const out = new Map<string, TEvent[]>(subjects.map((s) => [s, []]));
  for (let i = 1; i <= 5; i++) {
    for (const s of subjects) {
      const e = await iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: { type: "organ", id: s },
          type: "ledger.test",
          payload: { n: i, subject: s },
          actor,
          now: new Date(base + i * 1000),
        }),
      );
      out.get(s)?.push(e);
    }
  }
  return out;
}

const named = (findings: TFinding[]) =>
  findings.map((f) => `${f.check}:${f.eventId ?? `batch ${f.batch}`}`).sort();

/** Runs the audit at several chunk sizes: the findings must not depend on where chunks end. */
async function audit() {
  const progress: TLedgerAuditProgress[] = [];
  const report = await auditWholeLedger({
    registry,
    db: iso.db,
    chunkSize: 1000,
    onProgress: (p) => progress.push(p),
  });
  for (const chunkSize of [1, 3, 7]) {
    const again = await auditWholeLedger({ registry, db: iso.db, chunkSize });
    expect(named(again.findings), `chunk size ${chunkSize}`).toEqual(named(report.findings));
  }
  return { report, progress };
}

describe("whole-ledger audit against the chain", () => {
  const subjects = ["a-clean", "b-payload", "c-delete", "d-insert", "e-reorder", "f-rehash"];
  let events: Map<string, TEvent[]>;
  const ev = (s: string, sequence: number) => events.get(s)?.[sequence - 1] as TEvent;

  it("finds no break in an untouched, anchored ledger, and reports its progress", async () => {
    events = await appendInterleaved(subjects);
    await anchorAll(4); // 30 events and the signing key's introduction in 8 batches: subjects straddle batches
    const { report, progress } = await audit();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({
      eventsChecked: 31,
      batchesChecked: 8,
      batchesPending: 0,
      chainChecked: true,
      findingsTotal: 0,
    });
    const last = progress.at(-1);
    expect(last).toMatchObject({ phase: "batches", eventsChecked: 31, eventsTotal: 31, batchesChecked: 8 });
    expect(last?.batchesTotal).toBe(8);
  });

  it("names each tampered event and the check it fails", async () => {
    // A changed payload.
    const changed = ev("b-payload", 2);
    await iso.tamper(`UPDATE "LedgerEvent" SET payload = '{"n": 99}' WHERE id = $1`, [changed.id]);

    // A changed payload whose hash was recomputed to match.
    const rehashed = ev("f-rehash", 2);
    const row = await iso.db.ledgerEvent.findUniqueOrThrow({ where: { id: rehashed.id } });
    const rewritten = {
      ...row,
      actor,
      serverTime: row.serverTime.toISOString(),
      reportedTime: null,
      payload: { n: 42, subject: "f-rehash" },
    };
    await iso.tamper(`UPDATE "LedgerEvent" SET payload = $2, hash = $3 WHERE id = $1`, [
      rehashed.id,
      JSON.stringify(rewritten.payload),
      eventHash(rewritten),
    ]);

    // A deleted row (its anchor leaf is left pointing at nothing, as a careless attacker would).
    const deleted = ev("c-delete", 3);
    await iso.tamper(`DELETE FROM "LedgerEvent" WHERE id = $1`, [deleted.id]);

    // An inserted row, well formed: its hash is right and it links to #3, the later events are
    // renumbered behind it. Only the chain's anchoring betrays it (and the renumbered events).
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = sequence + 10 WHERE "subjectId" = 'd-insert' AND sequence >= 4;` +
        `UPDATE "LedgerEvent" SET sequence = sequence - 9 WHERE "subjectId" = 'd-insert' AND sequence >= 14;`,
    );
    const fields = {
      salt: `0x${"11".repeat(32)}`,
      subjectType: "organ",
      subjectId: "d-insert",
      sequence: 4,
      type: "ledger.test",
      schemaVersion: 1,
      actor,
      serverTime: new Date(base + 3500).toISOString(),
      reportedTime: null,
      payload: { n: 3.5, subject: "d-insert" },
      prevHash: ev("d-insert", 3).hash,
    };
    const inserted = { id: "0badc0de-0000-4000-8000-000000000001", hash: eventHash(fields) };
    await iso.tamper(
      `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion",
         "actorUserId", "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash)
       VALUES ($1, 'organ', 'd-insert', 4, 'ledger.test', 1, NULL, 'SYSTEM', NULL, $2, NULL, $3, $4, $5, $6)`,
      [
        inserted.id,
        fields.serverTime,
        JSON.stringify(fields.payload),
        fields.salt,
        fields.prevHash,
        inserted.hash,
      ],
    );

    // Two events' sequence numbers swapped.
    const [x, y] = [ev("e-reorder", 2), ev("e-reorder", 3)];
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = -1 WHERE id = $1;`.replace("$1", `'${x.id}'`) +
        `UPDATE "LedgerEvent" SET sequence = 2 WHERE id = '${y.id}';` +
        `UPDATE "LedgerEvent" SET sequence = 3 WHERE id = '${x.id}';`,
    );

    const { report } = await audit();
    const bySubject = (s: string) => named(report.findings.filter((f) => f.subject === `organ:${s}`));
    expect(bySubject("a-clean")).toEqual([]);

    expect(bySubject("b-payload")).toEqual([`hash:${changed.id}`]);

    // Rewritten with its hash recomputed: the batch kept the hash it anchored, so the edited event
    // itself is named (and its signature no longer holds), not the next one; no batch is blamed.
    expect(bySubject("f-rehash")).toEqual([`proof:${rehashed.id}`, `signature:${rehashed.id}`].sort());
    expect(report.findings.filter((f) => f.check === "batch-root")).toEqual([]);

    // Named by the missing sequence; the leaf its batch kept names the deleted event's id.
    const gap = report.findings.find((f) => f.check === "chain-gap" && f.subject);
    expect(gap).toMatchObject({ subject: "organ:c-delete", sequence: 3 });
    expect(gap?.message).toMatch(/event #3 is missing \(deleted\)/);
    const leafOfDeleted = report.findings.find((f) => f.eventId === deleted.id);
    expect(leafOfDeleted?.check).toBe("chain-gap");
    expect(leafOfDeleted?.message).toMatch(/no longer in the ledger \(deleted\)/);

    // The forged event is named as never anchored and unsigned; the two it pushed back no longer
    // match their hashes (their sequence numbers were changed).
    // (With batches of 4, a batch had committed to old #4 as the subject's head: the event now at #4
    // is not that one, which names the forged event once more.)
    expect(bySubject("d-insert")).toEqual(
      [
        `not-anchored:${inserted.id}`,
        `signature:${inserted.id}`,
        `head:${inserted.id}`,
        `hash:${ev("d-insert", 4).id}`,
        `hash:${ev("d-insert", 5).id}`,
      ].sort(),
    );

    // Swapped: exactly the two moved events fail their hash; the links and times they break are
    // not blamed on their untouched neighbours.
    expect(bySubject("e-reorder")).toEqual([`hash:${x.id}`, `hash:${y.id}`].sort());

    expect(report.eventsChecked).toBe(31);
  });

  it("keeps the first findings when there are too many, and counts them all", async () => {
    const seen: TFinding[] = [];
    const report = await auditWholeLedger({
      registry,
      db: iso.db,
      maxFindings: 2,
      onFinding: (f) => seen.push(f),
    });
    expect(report.findings).toHaveLength(2);
    expect(report.findingsTotal).toBe(seen.length);
    expect(report.findingsTotal).toBeGreaterThan(10);
  });

  it("without a chain, checks the recorded roots and says the chain was not consulted", async () => {
    const report = await auditWholeLedger({ registry: null, db: iso.db });
    expect(report.chainChecked).toBe(false);
    expect(report.findings.some((f) => f.message.includes("no chain"))).toBe(true);
  });

  it("runs in the background, one at a time: starting again returns the running audit", async () => {
    const first = startLedgerAudit({ id: randomUUID(), startedBy: "t", registry, db: iso.db, chunkSize: 4 });
    expect(first.finishedAt).toBeNull();
    const second = startLedgerAudit({ id: randomUUID(), startedBy: "t", registry, db: iso.db });
    expect(second.id).toBe(first.id);
    await ledgerAuditSettled();
    const done = ledgerAuditStatus();
    expect(done).toMatchObject({ id: first.id, error: null });
    expect(done?.finishedAt).not.toBeNull();
    expect(done?.progress).toMatchObject({ eventsChecked: 31, eventsTotal: 31, batchesChecked: 8 });
    expect(done?.report?.findingsTotal).toBe(done?.findingsSoFar);
    expect(done?.report?.findings.map((f) => f.eventId)).toContain(ev("b-payload", 2).id);
    // The same run asked for again is not run again; a new one is.
    expect(
      startLedgerAudit({ id: first.id, startedBy: "t", registry, db: iso.db }).finishedAt,
    ).not.toBeNull();
    const again = startLedgerAudit({ id: randomUUID(), startedBy: "t", registry, db: iso.db });
    expect(again.id).not.toBe(first.id);
    await ledgerAuditSettled();
  });
});
