import pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { directSql, prisma, type TSql, type Tx } from "@/server/db";
import { parseDatabaseUrl, quoteIdent } from "@/server/db/database-url";
import type { Candidate } from "@/server/generated/prisma/client";
import { appendEvent, SYSTEM_ACTOR } from "@/server/ledger/append-event";
import type { TCandidateInput } from "@/server/matching/engine/prepare-candidate";
import {
  allocationDesk,
  asUser,
  kidneyCandidate,
  refusal,
  unique,
} from "@/test/factories/allocation-factory";
import type { TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff } from "@/test/setup/isolated-staff";
import { currentCandidateInput } from "./candidate-current";
import { sealCandidateRecord } from "./candidate-record";
import { storedRankedRows } from "./stored-ranking";
import { currentWaitlist, lockWaitlistForWrite, type TWaitlistView, waitlistBarrier } from "./waitlist-state";

/** Match runs: the snapshot on the ledger, explained rows, policies, exclusions and replays. */

// A schema of this file's own: rankings read the whole waiting list, so they see only these candidates.
let opo: TStaff;
let centre: TStaff;
let regulator: TStaff;
const { opoCaller, centreCaller, openCase, kidneyWithCandidates } = allocationDesk(() => ({ opo, centre }));

setUpIsolatedStaff("mr", ["OPO", "TRANSPLANT_CENTER", "REGULATOR"], (staff) => {
  [opo, centre, regulator] = staff;
});

/** A new version of a listed candidate, sealed and committed to on the ledger as a waiting-list write does. */
async function recordVersion(tx: Tx, listed: Candidate, candidate: TCandidateInput) {
  const record = await sealCandidateRecord({ tx, row: listed, candidate });
  await appendEvent({
    tx,
    subject: { type: "candidate", id: listed.id },
    type: "candidate.recorded",
    payload: { candidateId: listed.id, organ: listed.organ, centreId: listed.centerId, record },
    actor: SYSTEM_ACTOR,
  });
}

describe("match runs", () => {
  it("records the snapshot before any offer; each row explains itself; a replay is identical", async () => {
    const { organId, run } = await kidneyWithCandidates(3);
    // An incompatible candidate (an antibody against the donor's A1) is excluded with the rule that excluded them.
    await centreCaller().waitlist.add(kidneyCandidate({ unacceptable: ["A1"] }));
    const second = await opoCaller().matchRun.run({ organId });
    const detail = await opoCaller().matchRun.get({ matchRunId: second.matchRunId });
    expect(detail.ranked.length).toBeGreaterThanOrEqual(3);
    for (const row of detail.ranked) {
      const sum = row.breakdown.reduce((s, b) => s + b.points, 0);
      expect(sum).toBeCloseTo(row.score, 6);
    }
    expect(detail.excluded.map((e) => e.code)).toEqual(["CROSSMATCH_POSITIVE"]);

    const event = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: run.ledgerEventId } });
    expect(event.type).toBe("match_run.recorded");
    // The snapshot (donor facts) is kept off the ledger; the event commits to it by its salted hash.
    expect(event.payload).not.toHaveProperty("snapshot");
    const kept = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    expect(kept.snapshot).toMatchObject({ format: "match-run-snapshot/4", salt: expect.any(String) });
    expect(event.payload).toMatchObject({ snapshotHash: kept.snapshotHash });
    expect(await prisma.offer.count({ where: { organId } })).toBe(0);

    const reg = createCaller({ user: asUser(regulator) });
    const replay = await reg.matchRun.replay({ matchRunId: second.matchRunId });
    expect(replay).toMatchObject({ identical: true, snapshotVerified: true, differences: [] });

    // Tampering with the stored ranking is found by the replay.
    const stored = await prisma.matchRun.findUniqueOrThrow({ where: { id: second.matchRunId } });
    const ranking = stored.ranking as { ranked: Array<{ candidateId: string }> };
    ranking.ranked.reverse();
    await prisma.matchRun.update({ where: { id: second.matchRunId }, data: { ranking: ranking as object } });
    const altered = await reg.matchRun.replay({ matchRunId: second.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences[0]).toMatch(/^rank 1: recorded/);

    // So is a snapshot altered in its row: its hash no longer matches the ledger's.
    const snapshot = stored.snapshot as { donor: { ageYears: number } };
    snapshot.donor.ageYears += 1;
    await prisma.matchRun.update({
      where: { id: second.matchRunId },
      data: { snapshot: snapshot as object },
    });
    const forged = await reg.matchRun.replay({ matchRunId: second.matchRunId });
    expect(forged.snapshotVerified).toBe(false);
    expect(forged.differences.join("\n")).toMatch(/snapshot hash 0x[0-9a-f]{64} differs from the recorded/);
  });

  it("matches under any shipped policy for the organ (ETKAS-style points), and replays it; a policy for another organ is refused", async () => {
    const { organId } = await kidneyWithCandidates(3);
    const etkas = await opoCaller().matchRun.run({ organId, policyId: "etkas-kidney" });
    const detail = await opoCaller().matchRun.get({ matchRunId: etkas.matchRunId });
    expect(detail.policy.id).toBe("etkas-kidney");
    expect(detail.offerMode.mode).toBe("sequential");
    expect(detail.ranked.length).toBe(3);
    const replay = await createCaller({ user: asUser(regulator) }).matchRun.replay({
      matchRunId: etkas.matchRunId,
    });
    expect(replay.identical).toBe(true);
    const wrong = await refusal(opoCaller().matchRun.run({ organId, policyId: "us-liver-acuity" }));
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.fieldErrors).toHaveProperty("policyId");
    expect(wrong.message).toMatch(/kidney is allocated under us-kidney-cd or etkas-kidney/);
  });

  it("a run waits at its barrier for a waiting-list write in flight and ranks what that write records", async () => {
    const { organId, candidateIds } = await kidneyWithCandidates(2);
    const id = candidateIds[0] as string;
    const listed = await prisma.candidate.findUniqueOrThrow({ where: { id } });
    const recorded = await currentCandidateInput(prisma, id);
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    // A writer holding the waiting-list lock shared, its new version of the candidate not yet committed.
    const write = prisma.$transaction(
      async (tx) => {
        await lockWaitlistForWrite(tx);
        await recordVersion(tx, listed, {
          ...(recorded as NonNullable<typeof recorded>),
          unacceptable: ["A1"],
        });
        holding = true;
        await gate;
      },
      { timeout: 30_000 },
    );
    const owner = new pg.Client({
      connectionString: parseDatabaseUrl(process.env.DATABASE_URL as string).connectionString,
    });
    await owner.connect();
    try {
      for (let i = 0; i < 200 && !holding; i++) await new Promise((r) => setTimeout(r, 25));
      expect(holding).toBe(true);
      let settled = false;
      const running = opoCaller()
        .matchRun.run({ organId })
        .finally(() => {
          settled = true;
        });
      let queued = false;
      for (let i = 0; i < 200 && !queued && !settled; i++) {
        const { rows } = await owner.query(
          `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
             AND mode = 'ExclusiveLock' AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('waitlist', 0)`,
        );
        queued = Number(rows[0]?.n) > 0;
        if (!queued) await new Promise((r) => setTimeout(r, 25));
      }
      // The run queues behind the write instead of reading a list with a hole in it…
      expect(queued).toBe(true);
      expect(settled).toBe(false);
      release();
      await write;
      // …and then reads the version the write committed: the antibody against the donor's A1 excludes them.
      const run = await running;
      const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
      expect(detail.excluded.find((e) => e.candidateId === id)).toMatchObject({
        code: "CROSSMATCH_POSITIVE",
      });
      expect(detail.ranked.map((r) => r.candidateId)).toEqual([candidateIds[1]]);
    } finally {
      release();
      await owner.end();
    }
  }, 60_000);

  it("runs overlap each other and waiting-list writes: each ranks the list at the position it records", async () => {
    const { organId, candidateIds } = await kidneyWithCandidates(4);
    // Runs do not hold the waiting-list lock: eight at once, with twelve changes to the list going
    // on (new versions, a candidate leaving, new ones listed), in one process sharing one copy.
    const runs = Array.from({ length: 8 }, () => opoCaller().matchRun.run({ organId }));
    const writes = Array.from({ length: 12 }, (_, i) =>
      i % 4 === 3
        ? centreCaller().waitlist.add(kidneyCandidate({ cpra: 40 + i }))
        : centreCaller().waitlist.update({
            id: candidateIds[i % 4] as string,
            entry: kidneyCandidate({ cpra: 60 + i, listedAt: `201${i % 4}-03-01` }),
          }),
    );
    const done = await Promise.all(runs);
    await Promise.all(writes);
    const reg = createCaller({ user: asUser(regulator) });
    for (const run of done) {
      expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({
        identical: true,
        snapshotVerified: true,
      });
    }
    // And a run after them all ranks every change.
    const last = await opoCaller().matchRun.get({
      matchRunId: (await opoCaller().matchRun.run({ organId })).matchRunId,
    });
    expect(last.ranked).toHaveLength(7);
  }, 60_000);

  it("the instance's copy of the list is updated by one run at a time, each using it before the next", async () => {
    await kidneyWithCandidates(2);
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const sql = directSql();
    const held: TSql = {
      ...sql,
      query: async (text, values) => {
        await gate;
        return sql.query(text, values);
      },
    };
    const order: string[] = [];
    const using = (name: string) => (w: { position: bigint }) => {
      order.push(name);
      return w.position;
    };
    const first = currentWaitlist(held, null, using("first"));
    const second = currentWaitlist(sql, null, using("second"));
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]); // the second waits for the first, whose read is held
    open();
    const [p1, p2] = await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(p2 >= p1).toBe(true);
  });

  it("a run reads the list up to its barrier: a write recorded after it waits for the next run", async () => {
    const { candidateIds } = await kidneyWithCandidates(2);
    const upTo = await waitlistBarrier();
    const { id } = await centreCaller().waitlist.add(kidneyCandidate());
    const sql = directSql();
    const ids = (w: TWaitlistView) => ({
      position: w.position,
      ids: w.list("KIDNEY").prepared.map((c) => c.id),
    });
    const atBarrier = await currentWaitlist(sql, upTo, ids);
    expect(atBarrier.position <= upTo).toBe(true);
    expect(atBarrier.ids).toEqual(expect.arrayContaining(candidateIds));
    expect(atBarrier.ids).not.toContain(id);
    const next = await currentWaitlist(sql, await waitlistBarrier(), ids);
    expect(next.position > upTo).toBe(true);
    expect(next.ids).toContain(id);
  });

  it("a recorded candidate that fails the rules is excluded by name; the run and its replay go on", async () => {
    const { id } = await centreCaller().waitlist.add(kidneyCandidate());
    // A version recorded before a rule tightened, say: dialysis before birth.
    const listed = await prisma.candidate.findUniqueOrThrow({ where: { id } });
    // The working row holds no clinical detail: the version as recorded is in its encrypted record.
    const recorded = await currentCandidateInput(prisma, id);
    await prisma.$transaction(async (tx) => {
      await recordVersion(tx, listed, {
        ...(recorded as NonNullable<typeof recorded>),
        dateOfBirth: "1990-01-01",
        dialysisStartedAt: "1985-01-01T00:00:00.000Z",
      });
    });
    const c = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    const run = await opoCaller().matchRun.run({ organId: c.organs[0]?.id as string });
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    const row = detail.excluded.find((e) => e.candidateId === id);
    expect(row).toMatchObject({ code: "MISSING_DATA" });
    expect(row?.message).toMatch(/dialysisStartedAt: dialysis cannot start before birth/);
    const replay = await createCaller({ user: asUser(regulator) }).matchRun.replay({
      matchRunId: run.matchRunId,
    });
    expect(replay.identical).toBe(true);
    await centreCaller().waitlist.setStatus({ candidateId: id, status: "REMOVED", reason: "test done" });
  });

  it("the waiting list a run read is on the ledger: later changes leave its replay identical", async () => {
    const { run, candidateIds } = await kidneyWithCandidates(3);
    const events = await prisma.ledgerEvent.count({
      where: { type: "candidate.recorded", subjectId: { in: candidateIds } },
    });
    expect(events).toBe(3);
    // After the run, one candidate changes and one leaves the list.
    await centreCaller().waitlist.update({
      id: candidateIds[0] as string,
      entry: kidneyCandidate({ cpra: 99 }),
    });
    await centreCaller().waitlist.setStatus({
      candidateId: candidateIds[1] as string,
      status: "INACTIVE",
      reason: "Temporarily unwell",
    });
    const reg = createCaller({ user: asUser(regulator) });
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({
      identical: true,
      snapshotVerified: true,
    });
    // A waiting-list event altered in the database is named by the replay.
    // As an attacker with database access could: triggers off for this transaction only.
    // The portal's own role cannot switch triggers off, so the tampering connects as the owner.
    const setPayload = async (payload: string) => {
      const { connectionString, schema } = parseDatabaseUrl(process.env.DATABASE_URL as string);
      const owner = new pg.Client({ connectionString });
      await owner.connect();
      try {
        await owner.query("BEGIN");
        await owner.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
        await owner.query("SET LOCAL session_replication_role = replica");
        await owner.query(
          `UPDATE "LedgerEvent" SET payload = $1::jsonb
           WHERE type = 'candidate.recorded' AND "subjectId" = $2 AND sequence = 1`,
          [payload, candidateIds[2]],
        );
        await owner.query("COMMIT");
      } finally {
        await owner.end();
      }
    };
    const original = await prisma.ledgerEvent.findFirstOrThrow({
      where: { type: "candidate.recorded", subjectId: candidateIds[2], sequence: 1 },
    });
    const changed = structuredClone(original.payload) as { record: { commitment: string } };
    changed.record.commitment = `0x${"00".repeat(32)}`;
    await setPayload(JSON.stringify(changed));
    const altered = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences.join("\n")).toMatch(/waiting-list event .* was changed after it was recorded/);
    // Put back: every later run's replay reads this event too.
    await setPayload(JSON.stringify(original.payload));
    expect((await reg.matchRun.replay({ matchRunId: run.matchRunId })).identical).toBe(true);

    // The clinical detail is an encrypted record the event commits to: swapping in another of the
    // candidate's records (a different version) no longer matches the commitment.
    const recordId = (original.payload as { record: { id: string } }).record.id;
    const stored = await prisma.candidateRecord.findUniqueOrThrow({ where: { id: recordId } });
    const later = await prisma.candidateRecord.findFirstOrThrow({
      where: { candidateId: candidateIds[0] as string, id: { not: recordId } },
      orderBy: { createdAt: "desc" },
    });
    await prisma.candidateRecord.update({ where: { id: recordId }, data: { ciphertext: later.ciphertext } });
    const swapped = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(swapped.identical).toBe(false);
    await prisma.candidateRecord.update({ where: { id: recordId }, data: { ciphertext: stored.ciphertext } });
    expect((await reg.matchRun.replay({ matchRunId: run.matchRunId })).identical).toBe(true);
  });

  it("a ranking longer than its stored head: the rest is packed, offered from, shown, replayed and checked", async () => {
    await kidneyWithCandidates(0); // earlier tests' candidates leave the list
    const ids: string[] = [];
    for (let i = 0; i < 520; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          centreCaller().waitlist.add(
            kidneyCandidate({ cpra: (i + k) % 90, listedAt: `20${10 + ((i + k) % 15)}-03-01` }),
          ),
        ),
      );
      ids.push(...batch.map((c) => c.id));
    }
    const c = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    const run = await opoCaller().matchRun.run({ organId: c.organs[0]?.id as string });
    expect(run.ranked).toBe(520);

    const stored = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    expect((stored.ranking as { ranked: unknown[] }).ranked).toHaveLength(500);
    expect(stored.rankingTail?.byteLength).toBeGreaterThan(20 * 34);

    // A candidate ranked in the packed rest can be offered out of sequence, and stays in view.
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(detail.rankedTotal).toBe(520);
    expect(detail.ranked).toHaveLength(200);
    const all = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    const rows = storedRankedRows(all);
    expect(rows.map((r) => r.rank)).toEqual(Array.from({ length: 520 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.candidateId))).toEqual(new Set(ids));
    for (let i = 1; i < rows.length; i++)
      expect((rows[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(rows[i]?.score as number);
    const far = rows[509];
    const out = await opoCaller().offer.sendOutOfOrder({
      matchRunId: run.matchRunId,
      candidateId: far?.candidateId as string,
      reason: `Only centre able to receive before the ischemia limit ${unique()}`,
    });
    expect(out.skippedRanks).toBe(509);
    const withOffer = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(withOffer.ranked.find((r) => r.candidateId === far?.candidateId)).toMatchObject({
      rank: 510,
      offer: { status: "PENDING" },
    });

    const reg = createCaller({ user: asUser(regulator) });
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({
      identical: true,
      snapshotVerified: true,
      ranked: 520,
    });
    // Two packed rows swapped: the replay names the ranks.
    const tail = Buffer.from(stored.rankingTail as Uint8Array);
    const rowBytes = 34;
    const firstRow = tail.length - 20 * rowBytes;
    const a = Buffer.from(tail.subarray(firstRow + 5 * rowBytes, firstRow + 6 * rowBytes));
    tail.copy(tail, firstRow + 5 * rowBytes, firstRow + 6 * rowBytes, firstRow + 7 * rowBytes);
    a.copy(tail, firstRow + 6 * rowBytes);
    await prisma.matchRun.update({ where: { id: run.matchRunId }, data: { rankingTail: tail } });
    const altered = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences.slice(0, 2).map((d) => d.split(":")[0])).toEqual(["rank 506", "rank 507"]);
  });
});
