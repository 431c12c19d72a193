import { randomBytes, randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { recordConsentInTx } from "@/server/consent/record-consent";
import { createDonorRecord } from "@/server/consent/register-donor";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { exportAuditBundle, verifyAuditBundle } from "@/server/ledger/audit-bundle";
import { portalSigner } from "@/server/ledger/portal-signer";
import { introduceSigningKey } from "@/server/ledger/signing-key-events";
import { ANVIL_TEST_KEYS, anchorEverything, deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { getOrganProvenance, provenanceSubjects } from "./organ-provenance";

const opo: TActor = { userId: randomUUID(), role: "OPO_COORDINATOR", orgId: randomUUID() };
const provider = createProvider(process.env.RPC_URL as string);
const wallet = new Wallet(ANVIL_TEST_KEYS.provenance, provider);
let registry: TAnchorRegistry;
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  iso = await createIsolatedDatabase("prov");
  registry = await deployAnchorRegistry(wallet);
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
});

const anchorAll = () => anchorEverything({ iso, registry });

/** A consented donor case with one kidney, a match run, an accepted offer and a custody journey. */
async function organWithHistory() {
  const org = await iso.db.organisation.create({
    data: { code: randomBytes(3).toString("hex").slice(0, 5).toUpperCase(), name: "Test OPO", kind: "OPO" },
  });
  return iso.db.$transaction(async (tx) => {
    const { donorId } = await createDonorRecord({
      tx,
      identity: {
        fullName: "Prov Enance",
        dateOfBirth: "1966-05-05",
        identifier: { scheme: "GENERIC", value: randomBytes(6).toString("hex").toUpperCase() },
      },
    });
    const consent = await recordConsentInTx({
      tx,
      donorId,
      decision: { kind: "FIRST_PERSON", decision: "DONATE_ALL", organs: [], purposes: ["TRANSPLANT"] },
      actor: { userId: null, role: "DONOR", orgId: null },
    });
    // Another event on the donor's chain that is not part of this organ's story.
    await appendEvent({
      tx,
      subject: { type: "donor", id: donorId },
      type: "personal_data.accessed",
      payload: {
        recordType: "donor_registration",
        recordId: donorId,
        reasonCode: "DONOR_REFERRAL",
        note: { id: randomUUID(), commitment: `0x${"0".repeat(64)}` },
        found: true,
      },
      actor: opo,
    });
    const donorCase = await tx.donorCase.create({
      data: {
        code: `DC-${randomBytes(3).toString("hex")}`,
        opoId: org.id,
        referralHospital: "General",
        consentVersionId: consent.consentVersionId,
        donor: {},
      },
    });
    const organ = await tx.organ.create({
      data: {
        donorCaseId: donorCase.id,
        type: "KIDNEY",
        laterality: "LEFT",
        din: `T${randomBytes(6).toString("hex").toUpperCase()}`,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "donor_case", id: donorCase.id },
      type: "donor_case.opened",
      payload: { donorCaseId: donorCase.id, code: donorCase.code, organs: ["KIDNEY"] },
      actor: opo,
    });
    const matchRunId = randomUUID();
    await appendEvent({
      tx,
      subject: { type: "match_run", id: matchRunId },
      type: "match_run.recorded",
      payload: {
        matchRunId,
        organId: organ.id,
        policy: { id: "us-kidney-cd", version: 1 },
        snapshotHash: `0x${"ab".repeat(32)}`,
        rankedCount: 10,
        excludedCount: 2,
      },
      actor: opo,
    });
    const offerId = randomUUID();
    await appendEvent({
      tx,
      subject: { type: "offer", id: offerId },
      type: "offer.sent",
      payload: {
        offerId,
        organId: organ.id,
        matchRunId,
        candidateCode: "C-1",
        centerId: randomUUID(),
        rank: 1,
        deadline: new Date().toISOString(),
      },
      actor: opo,
    });
    for (const [i, kind] of ["CROSS_CLAMP", "RECOVERED", "PACKAGED", "ARRIVED", "TRANSPLANTED"].entries()) {
      await appendEvent({
        tx,
        subject: { type: "organ", id: organ.id },
        type: "custody.recorded",
        payload: { custodyEventId: randomUUID(), organId: organ.id, sequence: i + 1, kind, details: {} },
        actor: opo,
      });
    }
    return { organId: organ.id, donorId };
  });
}

describe("organ provenance", () => {
  it("shows consent → case → match → offer → custody → outcome, every step verified against the chain", async () => {
    const { organId, donorId } = await organWithHistory();
    // As the anchoring worker does on its first tick, before it anchors anything the key signed.
    await introduceSigningKey({ signer: portalSigner(), db: iso.db });
    const before = await getOrganProvenance({ organId, registry, db: iso.db });
    expect(before.verified).toBe(true);
    expect(before.steps.every((s) => s.checks.anchored === null && s.checks.onChain === null)).toBe(true);

    await anchorAll();
    const p = await getOrganProvenance({ organId, registry, db: iso.db });
    expect(p.verified).toBe(true);
    expect(p.chainChecked).toBe(true);
    expect(p.steps.map((s) => s.stage)).toEqual([
      "consent",
      "donor-case",
      "match-run",
      "offer",
      "custody",
      "custody",
      "custody",
      "custody",
      "outcome",
    ]);
    for (const s of p.steps) {
      expect(s.checks).toMatchObject({ hash: true, chainLink: true, portalSignature: true, onChain: true });
      expect(s.checks.anchored?.txHash).toMatch(/^0x/);
      expect(s.checks.anchored?.confirmations).toBeGreaterThanOrEqual(1);
    }
    // The access record on the donor's chain is verified but not shown as part of the organ's story.
    expect(p.steps.some((s) => s.type === "personal_data.accessed")).toBe(false);
    expect(p.subjects).toContainEqual({ subjectType: "donor", subjectId: donorId });

    // The bundle of those subjects verifies offline.
    const bundle = await exportAuditBundle({
      scope: { kind: "subjects", subjects: (await provenanceSubjects({ organId, db: iso.db })).subjects },
      chain: { chainId: "31337", contract: await registry.getAddress() },
      db: iso.db,
    });
    expect(bundle.events).toHaveLength(10);
    expect((await verifyAuditBundle(bundle, registry)).ok).toBe(true);
  });

  it("names the step whose record was altered in the database", async () => {
    const { organId } = await organWithHistory();
    await anchorAll();
    const target = await iso.db.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "organ", subjectId: organId, sequence: 3 },
    });
    await iso.tamper(
      `UPDATE "LedgerEvent" SET payload = jsonb_set(payload, '{kind}', '"DISCARDED"') WHERE id = $1`,
      [target.id],
    );
    const p = await getOrganProvenance({ organId, registry, db: iso.db });
    expect(p.verified).toBe(false);
    const step = p.steps.find((s) => s.eventId === target.id);
    expect(step?.checks.hash).toBe(false);
    expect(step?.findings.join(" ")).toMatch(/content does not match its hash/);
    expect(p.steps.filter((s) => s.eventId !== target.id).every((s) => s.checks.hash)).toBe(true);
  });

  it("checks the portal's signature on every step, as the audit and the offline verifier do", async () => {
    const { organId } = await organWithHistory();
    await anchorAll();
    const [target, other] = await iso.db.ledgerEvent.findMany({
      where: { subjectType: "organ", subjectId: organId, sequence: { in: [2, 3] } },
      orderBy: { sequence: "asc" },
    });
    if (!target || !other) throw new Error("the organ has no history");
    // A genuine portal signature, but over another event's hash: the content and hash are untouched.
    await iso.tamper(`UPDATE "LedgerEvent" SET signature = $2 WHERE id = $1`, [target.id, other.signature]);
    const p = await getOrganProvenance({ organId, registry, db: iso.db });
    expect(p.verified).toBe(false);
    const step = p.steps.find((s) => s.eventId === target.id);
    expect(step?.checks).toMatchObject({ hash: true, portalSignature: false });
    expect(step?.findings.join(" ")).toMatch(/signature by .* does not hold for its hash/);
    expect(p.steps.filter((s) => s.eventId !== target.id).every((s) => s.checks.portalSignature)).toBe(true);
  });

  it("reads the database in one transaction of a few statements, each batch row once", async () => {
    const { organId } = await organWithHistory();
    await anchorAll();
    const first = await getOrganProvenance({ organId, registry, db: iso.db }); // batch trees now cached
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      sent.push(typeof q === "string" ? q : (q?.text ?? ""));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    let again: Awaited<ReturnType<typeof getOrganProvenance>>;
    try {
      again = await getOrganProvenance({ organId, registry, db: iso.db });
    } finally {
      pg.Client.prototype.query = query;
    }
    // The same result, but for what depends on the chain's head: other test files mine blocks on
    // the same anvil between the two reads, so a step's confirmations may have grown.
    const headless = (p: typeof first) => ({
      ...p,
      chainReadAt: null,
      steps: p.steps.map((s) => ({
        ...s,
        checks: { ...s.checks, anchored: s.checks.anchored && { ...s.checks.anchored, confirmations: null } },
      })),
    });
    expect(headless(again)).toEqual(headless(first));
    expect(
      again.steps.every(
        (s, i) =>
          (s.checks.anchored?.confirmations ?? 0) >= (first.steps[i]?.checks.anchored?.confirmations ?? 0),
      ),
    ).toBe(true);
    // BEGIN, the data-key lock, subjects, events (with leaves, batches, custody rows, notes), names, COMMIT.
    expect(sent.filter((s) => s.includes('"AnchorBatch"'))).toHaveLength(1);
    expect(sent.length).toBeLessThanOrEqual(6);
  });

  it("refuses an unknown organ", async () => {
    await expect(getOrganProvenance({ organId: randomUUID(), registry, db: iso.db })).rejects.toThrow(
      /no organ/,
    );
  });
});
