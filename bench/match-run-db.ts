/**
 * A match run as the portal does it, end to end, from the request to the stored ranking: `runMatch`
 * brings the instance's prepared waiting list up to date from the ledger, ranks it, and writes the
 * snapshot (the list's ledger position) as a ledger event plus the ranking (its head as JSON, the
 * rest packed), in one transaction. `bench/matching.ts` times the engine alone on a prepared list;
 * this is what an OPO coordinator waits for. The waiting list is seeded as the portal writes it:
 * candidate rows without clinical detail, each with its own wrapped data key (under a KEK in a key
 * folder), one encrypted `CandidateRecord` per candidate and a `candidate.recorded` v2 event that
 * commits to it, so loading the list opens and checks every record as a portal start does.
 * Kidney, US-style policy, synthetic waiting lists; the
 * donors cycle through groups O, A, B and AB (tens of thousands ranked for O and A, a few thousand
 * for B and AB). Env: MATCH_DB_SIZES (default 10000,100000), MATCH_DB_RUNS (default 8);
 * MATCH_DB_TRACE=1 prints each run's time (the first at a size pays for warming up).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { startEmbeddedPostgres } from "@/server/runtime/database";

const BENCH = "match-run-db";
// A full collection on demand, without starting node with --expose-gc.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;
const print = (figure: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: BENCH, figure, value, unit, ...extra }));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function run(): Promise<void> {
  const sizes = (process.env.MATCH_DB_SIZES ?? "10000,100000").split(",").map(Number);
  const runs = Number(process.env.MATCH_DB_RUNS ?? 8);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-match-db-"));
  const pg = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  const schema = `bench_${randomBytes(3).toString("hex")}`;
  const url = withSchema(process.env.DATABASE_URL ?? (pg?.url as string), schema);
  await migrate({ url, log: () => {} });
  // runMatch uses the portal's one Prisma client, which reads DATABASE_URL on first use.
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS,
    KEYS_DIR: process.env.KEYS_DIR,
  };
  const { testKeyRingSource } = await import("@/test/factories/test-keys");
  process.env.DATABASE_URL = url;
  process.env.DATA_ENCRYPTION_KEYS ??= testKeyRingSource("bench");
  // Data keys wrapped under a key-encryption key, as the portal's are.
  process.env.KEYS_DIR = path.join(dir, "keys");
  const { resetEnvCache } = await import("@/server/env");
  resetEnvCache();
  const { disconnectPrisma, prisma, withTransaction } = await import("@/server/db");
  const { createDonorRecord } = await import("@/server/consent/register-donor");
  const { recordConsentInTx } = await import("@/server/consent/record-consent");
  const { openDonorCase } = await import("@/server/allocation/donor-case");
  const { runMatch } = await import("@/server/allocation/run-match");
  const { generateSyntheticCandidates, syntheticDonor } = await import("@/prisma/synthetic");
  const { engineCandidate } = await import("@/server/allocation/records");
  const { sealRecord } = await import("@/server/allocation/candidate-record");
  const { clearedClinicalColumns } = await import("@/server/allocation/candidate-current");
  const { dataKeyRing } = await import("@/server/crypto/data-key-ring");
  const { createRecordKey } = await import("@/server/crypto/envelope");
  const { Prisma } = await import("@/server/generated/prisma/client");
  const { eventHash } = await import("@/server/ledger/hash");
  try {
    const opo = await prisma.organisation.create({
      data: { code: "B0001", name: "Bench OPO", kind: "OPO", latitude: 41.88, longitude: -87.63 },
    });
    const user = await prisma.user.create({
      data: {
        email: "bench@opo.test",
        name: "Bench",
        passwordHash: "x",
        role: "OPO_COORDINATOR",
        organisationId: opo.id,
      },
    });
    const sessionUser = {
      id: user.id,
      email: user.email,
      name: user.name,
      role: "OPO_COORDINATOR" as const,
      organisationId: opo.id,
      organisationName: opo.name,
    };
    const centres = new Map<string, string>();
    let listed = 0;
    /** Grows the waiting list to n kidney candidates (its garbage is gone before the runs). */
    const growTo = async (n: number) => {
      const now = new Date();
      const fresh = generateSyntheticCandidates({ n: n - listed, seed: 7 + listed, organ: "KIDNEY", now });
      const ring = dataKeyRing();
      const serverTime = new Date();
      for (let i = 0; i < fresh.length; i += 5000) {
        const rows = [];
        for (const [k, c] of fresh.slice(i, i + 5000).entries()) {
          let centreId = centres.get(c.centreId);
          if (!centreId) {
            const org = await prisma.organisation.create({
              data: {
                code: `Z${String(centres.size).padStart(4, "0")}`,
                name: `Bench centre ${c.centreId}`,
                kind: "TRANSPLANT_CENTER",
                latitude: c.location.lat,
                longitude: c.location.lon,
              },
            });
            centreId = org.id;
            centres.set(c.centreId, centreId);
          }
          rows.push({
            id: randomUUID(),
            centerId: centreId,
            code: `B-${listed + i + k}`,
            organ: "KIDNEY" as const,
            status: c.status as "ACTIVE",
            abo: c.abo,
            hla: c.hla,
            unacceptable: c.unacceptable,
            cpra: c.cpra,
            listedAt: new Date(c.listedAt),
            dialysisStartedAt: c.dialysisStartedAt ? new Date(c.dialysisStartedAt) : null,
            dateOfBirth: new Date(c.dateOfBirth),
            sex: c.sex,
            heightCm: c.heightCm,
            weightKg: c.weightKg,
            priorLivingDonor: c.priorLivingDonor,
            priorTransplants: c.priorTransplants,
            diabetes: c.diabetes,
            urgency: { highUrgency: c.urgency.highUrgency },
            allocation: null,
            wrappedKey: createRecordKey({ ring }),
            erasedAt: null,
            createdAt: serverTime,
            updatedAt: serverTime,
          });
        }
        // The row as the portal stores it: no clinical detail (that is in the encrypted record).
        await prisma.candidate.createMany({
          data: rows.map((r) => ({ ...r, ...clearedClinicalColumns(), allocation: Prisma.DbNull })),
        });
        // The waiting list is on the ledger: one encrypted record and one candidate.recorded event
        // committing to it per listing, as the waiting-list API writes them (sequence 1 each).
        const centreRows = new Map(
          (await prisma.organisation.findMany({ where: { kind: "TRANSPLANT_CENTER" } })).map((o) => [
            o.id,
            o,
          ]),
        );
        const records = new Map(
          rows.map((row) => [
            row.id,
            sealRecord({
              ring,
              wrappedKey: row.wrappedKey,
              candidateId: row.id,
              candidate: engineCandidate(row as never, centreRows.get(row.centerId) as never),
            }),
          ]),
        );
        await prisma.candidateRecord.createMany({ data: [...records.values()] });
        await prisma.ledgerEvent.createMany({
          data: rows.map((row) => {
            const record = records.get(row.id) as { id: string; commitment: string };
            const fields = {
              salt: `0x${randomBytes(32).toString("hex")}`,
              subjectType: "candidate",
              subjectId: row.id,
              sequence: 1,
              type: "candidate.recorded",
              schemaVersion: 2,
              actor: { userId: null, role: "SYSTEM", orgId: row.centerId },
              serverTime: serverTime.toISOString(),
              reportedTime: null,
              payload: {
                candidateId: row.id,
                organ: row.organ,
                centreId: row.centerId,
                record: { id: record.id, commitment: record.commitment },
              },
              prevHash: null,
            };
            return {
              subjectType: fields.subjectType,
              subjectId: fields.subjectId,
              sequence: 1,
              type: fields.type,
              schemaVersion: 2,
              actorRole: "SYSTEM",
              actorOrgId: row.centerId,
              serverTime,
              payload: fields.payload as never,
              salt: fields.salt,
              hash: eventHash(fields),
            };
          }),
        });
      }
    };
    for (const n of sizes) {
      await growTo(n);
      listed = n;
      // As at a portal start: the instance loads the list once, then runs bring it up to date.
      const { warmWaitlist } = await import("@/server/allocation/waitlist-state");
      const warm = await warmWaitlist();
      print(`load_${n}`, warm.ms, "ms", { candidates: warm.candidates });

      const times: number[] = [];
      const rankedPerRun: number[] = [];
      collectGarbage(); // the load's garbage is not the runs' memory
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 10);
      for (let r = 0; r < runs; r++) {
        const receipt = await withTransaction(async (tx) => {
          const { donorId } = await createDonorRecord({
            tx,
            identity: {
              fullName: `Bench donor ${r}`,
              dateOfBirth: "1980-01-01",
              identifier: { scheme: "GENERIC", value: `BENCH${randomUUID().slice(0, 8).toUpperCase()}` },
            },
          });
          return recordConsentInTx({
            tx,
            donorId,
            decision: {
              kind: "FAMILY_AUTHORISATION",
              decision: "DONATE_ALL",
              organs: [],
              purposes: ["TRANSPLANT"],
              authorisedBy: { name: "Next of kin", relationship: "SPOUSE", witness: "Nurse" },
            },
            actor: { userId: user.id, role: "OPO_COORDINATOR", orgId: opo.id },
          });
        });
        const donor = syntheticDonor({ abo: (["O", "A", "B", "AB"] as const)[r % 4] });
        const opened = await openDonorCase({
          input: {
            referralHospital: "Bench General",
            consentReceiptCode: receipt.receiptCode,
            donor: {
              abo: donor.abo,
              hla: { A: donor.hla.A, B: donor.hla.B, C: donor.hla.C, DR: donor.hla.DR, DQ: donor.hla.DQ },
              ageYears: donor.ageYears,
              heightCm: donor.heightCm,
              weightKg: donor.weightKg,
              sex: donor.sex,
              causeOfDeath: donor.causeOfDeath,
              dcd: donor.dcd,
              hypertension: donor.hypertension,
              diabetes: donor.diabetes,
              creatinineMgDl: donor.creatinineMgDl,
              hbv: donor.hbv,
              hcv: donor.hcv,
              hiv: donor.hiv,
            },
            organs: [{ type: "KIDNEY", laterality: "LEFT" }],
          },
          user: sessionUser,
        });
        const t0 = performance.now();
        const result = await runMatch({ organId: opened.organs[0]?.id as string, user: sessionUser });
        times.push(performance.now() - t0);
        if (process.env.MATCH_DB_TRACE) console.error("run", r, Math.round(performance.now() - t0));
        rankedPerRun.push(result.ranked);
      }
      clearInterval(sampler);
      times.sort((a, b) => a - b);
      collectGarbage();
      const extra = {
        candidates: n,
        runs,
        ranked: rankedPerRun,
        // Peak while the runs went on, and what stays live after them (chiefly the prepared list).
        peakRssMb: Math.round(peakRss / 1e6),
        liveHeapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      };
      print(`p50_${n}`, Math.round(percentile(times, 50)), "ms", extra);
      print(`p99_${n}`, Math.round(percentile(times, 99)), "ms", extra);
    }
  } finally {
    await disconnectPrisma();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.DATA_ENCRYPTION_KEYS === undefined) delete process.env.DATA_ENCRYPTION_KEYS;
    if (saved.KEYS_DIR === undefined) delete process.env.KEYS_DIR;
    else process.env.KEYS_DIR = saved.KEYS_DIR;
    resetEnvCache();
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
