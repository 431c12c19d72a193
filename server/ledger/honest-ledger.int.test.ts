import { randomBytes, randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { recordCustodyEvent } from "@/server/custody/record-custody-event";
import { disconnectPrisma, prisma } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { isAppError } from "@/server/errors";
import { auditWholeLedger } from "@/server/regulator/ledger-audit";
import { donorFacts, kidneyCandidate } from "@/test/factories/allocation-factory";
import { nhsNumber } from "@/test/factories/nhs-number";
import { createStaff, createTravellingOrgan, type TStaff } from "@/test/factories/organ-factory";
import { ANVIL_TEST_KEYS, anchorEverything, deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase, useOwnKeyFolder } from "@/test/setup/isolated-db";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";

/**
 * An honest ledger must audit clean, however its events interleave. Random concurrent workloads of
 * every event kind go through the real procedures (consent, access log, waiting list, match runs,
 * offers, custody); then the whole-ledger audit and the offline verifier, on exported bundles,
 * must report nothing.
 */
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const provider = createProvider(process.env.RPC_URL as string);
const wallet = new Wallet(ANVIL_TEST_KEYS.honestLedger, provider);
let registry: TAnchorRegistry;
let opo: TStaff;
let centre: TStaff;
let courier: TStaff;
const unique = () => randomBytes(5).toString("hex");
const staff = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });
const donorUser = (id: string): TSessionUser => ({
  id,
  email: "x@test",
  name: "Registered donor",
  role: "DONOR",
  organisationId: null,
  organisationName: null,
});

type TPeople = {
  donorId: string;
  userId: string;
  person: { identifier: { scheme: "UK_NHS"; value: string }; dateOfBirth: string };
};
const donors: TPeople[] = [];
const travelling: string[] = [];
const caseOrgans: string[] = [];

async function register(): Promise<TPeople> {
  const person = {
    fullName: `Ada Property ${unique()}`,
    dateOfBirth: "1980-04-12",
    identifier: { scheme: "UK_NHS" as const, value: nhsNumber() },
    email: `${unique()}@donor.test`,
    phone: `+4420794${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`,
    password: "a long enough password",
  };
  await createCaller({ user: null }).consent.register(person);
  // Registration answers every sign-up alike: find the new account and record by its e-mail.
  const { id: userId } = await prisma.user.findUniqueOrThrow({ where: { email: person.email } });
  const { id: donorId } = await prisma.donor.findUniqueOrThrow({ where: { userId } });
  return { donorId, userId, person };
}

beforeAll(async () => {
  iso = await createIsolatedDatabase("honest");
  // The procedures use the one Prisma client: point it at this file's own schema.
  await disconnectPrisma();
  process.env.DATABASE_URL = iso.url;
  // Its own key folder too: an erasure elsewhere destroys the KEKs its own schema does not use.
  useOwnKeyFolder(iso.schema);
  resetEnvCache();
  registry = await deployAnchorRegistry(wallet);
  [opo, centre, courier] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "COURIER_SERVICE" }),
  ]);
  donors.push(await register(), await register());
  for (let i = 0; i < 2; i++) travelling.push((await createTravellingOrgan({ opo, centre, courier })).id);
  for (let i = 0; i < 3; i++) await createCaller({ user: staff(centre) }).waitlist.add(kidneyCandidate());
  const auth = await createCaller({ user: staff(opo) }).consent.recordFamilyAuthorisation({
    person: {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  const opened = await createCaller({ user: staff(opo) }).donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: auth.receiptCode,
    donor: donorFacts,
    organs: [
      { type: "KIDNEY", laterality: "LEFT" },
      { type: "KIDNEY", laterality: "RIGHT" },
    ],
  });
  caseOrgans.push(...opened.organs.map((o) => o.id));
  for (const organId of caseOrgans) await createCaller({ user: staff(opo) }).matchRun.run({ organId });
}, 180_000);
afterAll(async () => {
  await disconnectPrisma();
  await iso.drop();
  provider.destroy();
});

type TOp =
  | { kind: "consent"; donor: number; decision: "DONATE_ALL" | "OBJECTION" }
  | { kind: "revoke"; donor: number }
  | { kind: "search"; donor: number }
  | { kind: "family" }
  | { kind: "waitlist-add" }
  | { kind: "match-run"; organ: number }
  | { kind: "offers"; organ: number }
  | { kind: "answer"; organ: number; accept: boolean }
  | { kind: "custody"; organ: number; skewMs: number };

const opArb: fc.Arbitrary<TOp> = fc.oneof(
  fc.record({
    kind: fc.constant("consent" as const),
    donor: fc.nat(1),
    decision: fc.constantFrom("DONATE_ALL" as const, "OBJECTION" as const),
  }),
  fc.record({ kind: fc.constant("revoke" as const), donor: fc.nat(1) }),
  fc.record({ kind: fc.constant("search" as const), donor: fc.nat(1) }),
  fc.record({ kind: fc.constant("family" as const) }),
  fc.record({ kind: fc.constant("waitlist-add" as const) }),
  fc.record({ kind: fc.constant("match-run" as const), organ: fc.nat(1) }),
  fc.record({ kind: fc.constant("offers" as const), organ: fc.nat(1) }),
  fc.record({
    kind: fc.constant("answer" as const),
    organ: fc.nat(1),
    accept: fc.nat(5).map((n) => n === 0),
  }),
  fc.record({
    kind: fc.constant("custody" as const),
    organ: fc.nat(1),
    skewMs: fc.integer({ min: -20_000, max: 0 }),
  }),
);

async function run(op: TOp): Promise<void> {
  const asOpo = createCaller({ user: staff(opo) });
  const asCentre = createCaller({ user: staff(centre) });
  switch (op.kind) {
    case "consent": {
      const d = donors[op.donor] as TPeople;
      await createCaller({ user: donorUser(d.userId) }).consent.recordDecision({
        kind: "FIRST_PERSON",
        decision: op.decision,
        purposes: op.decision === "OBJECTION" ? [] : ["TRANSPLANT"],
      });
      return;
    }
    case "revoke":
      await createCaller({ user: donorUser((donors[op.donor] as TPeople).userId) }).consent.revoke();
      return;
    case "search": {
      const d = donors[op.donor] as TPeople;
      await asOpo.consent.search({
        identifier: d.person.identifier,
        dateOfBirth: d.person.dateOfBirth,
        reasonCode: "DONOR_REFERRAL",
        reasonNote: "Property test look-up",
      });
      return;
    }
    case "family":
      await asOpo.consent.recordFamilyAuthorisation({
        person: {
          fullName: `Never Registered ${unique()}`,
          dateOfBirth: "1980-02-02",
          identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
        },
        decision: "DONATE_ALL",
        organs: [],
        purposes: ["TRANSPLANT"],
        authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
      });
      return;
    case "waitlist-add":
      await asCentre.waitlist.add(kidneyCandidate());
      return;
    case "match-run":
      await asOpo.matchRun.run({ organId: caseOrgans[op.organ] as string });
      return;
    case "offers": {
      const latest = await prisma.matchRun.findFirst({
        where: { organId: caseOrgans[op.organ] as string },
        orderBy: { createdAt: "desc" },
        select: { id: true },
      });
      if (latest) await asOpo.offer.sendNext({ matchRunId: latest.id });
      return;
    }
    case "answer": {
      const pending = await prisma.offer.findFirst({
        where: { organId: caseOrgans[op.organ] as string, status: "PENDING" },
        select: { id: true },
      });
      if (!pending) return;
      await asCentre.offer.answer(
        op.accept
          ? { offerId: pending.id, answer: "ACCEPT" }
          : { offerId: pending.id, answer: "REFUSE", reasonCode: "DONOR_SIZE" },
      );
      return;
    }
    case "custody":
      await recordCustodyEvent({
        organId: travelling[op.organ] as string,
        clientEventId: randomUUID(),
        kind: "CHECKPOINT",
        reportedAt: new Date(Date.now() + op.skewMs),
        details: { location: "Somewhere on the road", temperatureC: 4 },
        actor: courier.user,
      });
      return;
  }
}

/** A refusal the domain gives on purpose (nothing written), or a pool too busy to start in time. */
function expected(err: unknown): boolean {
  const cause = (err as { cause?: unknown }).cause;
  if (isAppError(err) || isAppError(cause)) return true;
  const codes = [(err as { code?: string }).code, (cause as { code?: string } | undefined)?.code];
  return codes.includes("P2028");
}

describe("an honest ledger under concurrency audits clean", () => {
  it("20 concurrent custody checkpoints on one organ, each device with its own clock", async () => {
    const organ = await createTravellingOrgan({ opo, centre, courier });
    const results = await Promise.allSettled(
      // Spread over a few milliseconds, as requests arriving through the portal are.
      Array.from({ length: 20 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 7) % 30));
        return recordCustodyEvent({
          organId: organ.id,
          clientEventId: randomUUID(),
          kind: "CHECKPOINT",
          reportedAt: new Date(Date.now() - ((i * 13) % 40)),
          details: { location: `Checkpoint ${i}`, temperatureC: 4 },
          actor: courier.user,
        });
      }),
    );
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(refused.filter((e) => (e as { code?: string }).code !== "P2028")).toEqual([]);
    const rows = await prisma.ledgerEvent.findMany({
      where: { subjectType: "organ", subjectId: organ.id },
      orderBy: { sequence: "asc" },
      select: { serverTime: true },
    });
    const times = rows.map((r) => r.serverTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await anchorEverything({ iso, registry });
    const report = await auditWholeLedger({ registry, db: iso.db });
    expect(report.findings).toEqual([]);
    const bundle = await exportAuditBundle({
      scope: { kind: "subject", subjectType: "organ", subjectId: organ.id },
      chain: { chainId: null, contract: await registry.getAddress() },
      db: iso.db,
    });
    expect((await verifyAuditBundle(bundle, registry)).findings).toEqual([]);
  });

  it("random concurrent workloads of every event kind, over many seeds", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op: opArb, delayMs: fc.nat(25) }), { minLength: 10, maxLength: 30 }),
        async (workload) => {
          const results = await Promise.allSettled(
            workload.map(async ({ op, delayMs }) => {
              await new Promise((r) => setTimeout(r, delayMs));
              await run(op);
            }),
          );
          for (const r of results) {
            if (r.status === "rejected" && !expected(r.reason)) throw r.reason;
          }
          await anchorEverything({ iso, registry });
          const report = await auditWholeLedger({ registry, db: iso.db });
          expect(report.findings).toEqual([]);
          // Bundles of whole subjects, as a regulator exports them, verified from the bundle and chain alone.
          const subjects = await prisma.ledgerEvent.findMany({
            distinct: ["subjectType", "subjectId"],
            select: { subjectType: true, subjectId: true, type: true },
          });
          for (const s of subjects) seen.add(s.type);
          const bundle = await exportAuditBundle({
            scope: {
              kind: "subjects",
              subjects: subjects.map(({ subjectType, subjectId }) => ({ subjectType, subjectId })),
            },
            chain: { chainId: null, contract: await registry.getAddress() },
            db: iso.db,
          });
          expect((await verifyAuditBundle(bundle, registry)).findings).toEqual([]);
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
    const kinds = await prisma.ledgerEvent.groupBy({ by: ["type"], _count: true });
    expect(kinds.map((k) => k.type)).toEqual(
      expect.arrayContaining([
        "consent.recorded",
        "personal_data.accessed",
        "candidate.recorded",
        "match_run.recorded",
        "offer.sent",
        "custody.recorded",
      ]),
    );
  }, 180_000);
});
