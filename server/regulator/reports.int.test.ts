import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordPrivateNote } from "@/server/consent/private-note";
import { recordConsentInTx } from "@/server/consent/record-consent";
import { createDonorRecord } from "@/server/consent/register-donor";
import { validateFhirResource } from "@/server/fhir/validate-resource";
import type { OrganType } from "@/server/generated/prisma/client";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { listAccessLog } from "./access-log";
import { exportOrganFhir } from "./organ-fhir";
import { reportCsv } from "./report-catalogue";
import { csvField, toCsv } from "./report-csv";
import { resolveReportRange } from "./report-series";
import {
  coldIschemiaReport,
  consentActivityReport,
  discardsByReasonReport,
  offerResponsesReport,
  organsInTransitReport,
} from "./reports";

let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const range = resolveReportRange({ from: "2025-03-01", to: "2025-03-07" });
const at = (s: string) => new Date(`2025-03-${s}Z`);
const hex = (n: number) => randomBytes(n).toString("hex");

let opoOrg: { id: string; name: string };
let centreOrg: { id: string };
let staffA: { id: string; name: string; email: string };
let staffB: { id: string; name: string; email: string };

async function organ(type: OrganType, data: { crossClampAt?: Date; reperfusionAt?: Date } = {}) {
  const donorCase = await iso.db.donorCase.create({
    data: { code: `RC-${hex(6)}`, opoId: opoOrg.id, referralHospital: "General", donor: {} },
  });
  return iso.db.organ.create({
    data: { donorCaseId: donorCase.id, type, din: `R${hex(7).toUpperCase()}`, ...data },
  });
}

async function custody(organId: string, steps: Array<{ kind: string; at: Date; reason?: string }>) {
  for (const [i, s] of steps.entries()) {
    await iso.db.custodyEvent.create({
      data: {
        organId,
        sequence: i + 1,
        clientEventId: randomUUID(),
        kind: s.kind,
        reportedAt: s.at,
        actorUserId: staffA.id,
        details: s.reason ? { reason: s.reason } : {},
        ledgerEventId: randomUUID(),
      },
    });
  }
}

beforeAll(async () => {
  iso = await createIsolatedDatabase("reports");
  const db = iso.db;
  opoOrg = await db.organisation.create({ data: { code: `O${hex(2)}`, name: "Report OPO", kind: "OPO" } });
  centreOrg = await db.organisation.create({
    data: { code: `C${hex(2)}`, name: "Report Centre", kind: "TRANSPLANT_CENTER" },
  });
  const user = (name: string) =>
    db.user.create({
      data: {
        email: `${hex(4)}@reports.test`,
        name,
        passwordHash: "x",
        role: "OPO_COORDINATOR",
        organisationId: opoOrg.id,
      },
    });
  staffA = await user("Ann Access");
  staffB = await user("Ben Browse");
}, 120_000);

afterAll(async () => {
  await iso?.drop();
});

describe("reports", () => {
  it("buckets cold ischemia per organ type against its limit (transplanted in the period only)", async () => {
    const clamp = at("02T00:00:00");
    const hoursLater = (h: number) => new Date(clamp.getTime() + h * 3_600_000);
    for (const h of [10, 20, 40, 80])
      await organ("KIDNEY", { crossClampAt: clamp, reperfusionAt: hoursLater(h) });
    for (const h of [5, 7]) await organ("HEART", { crossClampAt: clamp, reperfusionAt: hoursLater(h) });
    await organ("KIDNEY", { crossClampAt: clamp, reperfusionAt: new Date("2025-04-02T00:00:00Z") });
    await organ("KIDNEY", { crossClampAt: clamp });

    const rows = await coldIschemiaReport({ range, db: iso.db });
    const kidney = rows.filter((r) => r.organType === "KIDNEY");
    expect(kidney).toHaveLength(13);
    expect(kidney.filter((r) => r.organs > 0).map((r) => [r.bucket, r.organs, r.beyondLimit])).toEqual([
      ["6–12 h", 1, false],
      ["18–24 h", 1, false],
      ["36–42 h", 1, true],
      ["≥ 72 h", 1, true],
    ]);
    expect(kidney[0]?.limitHours).toBe(36);
    const heart = rows.filter((r) => r.organType === "HEART" && r.organs > 0);
    expect(heart.map((r) => [r.bucket, r.beyondLimit])).toEqual([
      ["5–6 h", false],
      ["7–8 h", true],
    ]);
    // Every policy type has its axis, with zeros where nothing fell.
    expect(new Set(rows.map((r) => r.organType))).toEqual(
      new Set(["HEART", "LUNG", "LIVER", "INTESTINE", "PANCREAS", "KIDNEY"]),
    );
  });

  it("counts discards by stated reason, ignoring case and spacing", async () => {
    const reasons = ["Organ damaged", "organ   damaged ", "No recipient in time", '=HYPERLINK("x")'];
    for (const reason of reasons) {
      const o = await organ("LIVER");
      await custody(o.id, [
        { kind: "CROSS_CLAMP", at: at("03T01:00:00") },
        { kind: "DISCARDED", at: at("03T05:00:00"), reason },
      ]);
    }
    const late = await organ("LIVER");
    await custody(late.id, [{ kind: "DISCARDED", at: new Date("2025-05-01T00:00:00Z"), reason: "late" }]);

    expect(await discardsByReasonReport({ range, db: iso.db })).toEqual([
      { reason: "Organ damaged", organs: 2 },
      { reason: '=HYPERLINK("x")', organs: 1 },
      { reason: "No recipient in time", organs: 1 },
    ]);
    const csv = await reportCsv("discards", { range, db: iso.db });
    expect(csv.split("\r\n")[0]).toBe("reason,organs");
    // Quotes doubled, and a formula neutralised with a leading apostrophe.
    expect(csv).toContain(`"'=HYPERLINK(""x"")",1\r\n`);
  });

  it("reports offer response times by answer, and expiries", async () => {
    const o = await organ("KIDNEY");
    const matchRun = await iso.db.matchRun.create({
      data: {
        organId: o.id,
        policyId: "test",
        policyVersion: 1,
        ranking: [],
        excluded: [],
        snapshotHash: `0x${"cd".repeat(32)}`,
        ledgerEventId: randomUUID(),
      },
    });
    const sent = at("04T08:00:00");
    const plus = (m: number) => new Date(sent.getTime() + m * 60_000);
    const offers = [
      { status: "ACCEPTED", respondedAt: plus(10) },
      { status: "REFUSED", respondedAt: plus(20) },
      { status: "REFUSED", respondedAt: plus(90) },
      { status: "EXPIRED", respondedAt: null },
      { status: "WITHDRAWN", respondedAt: null },
      { status: "PENDING", respondedAt: null },
    ] as const;
    for (const [i, offer] of offers.entries()) {
      const candidate = await iso.db.candidate.create({
        data: {
          centerId: centreOrg.id,
          code: `RC-${hex(5)}`,
          organ: "KIDNEY",
          abo: "O",
          hla: {},
          unacceptable: [],
          cpra: 0,
          listedAt: sent,
          dateOfBirth: new Date("1970-01-01"),
          sex: "F",
          heightCm: 170,
          weightKg: 70,
          urgency: {},
        },
      });
      await iso.db.offer.create({
        data: {
          organId: o.id,
          matchRunId: matchRun.id,
          candidateId: candidate.id,
          centerId: centreOrg.id,
          rank: i + 1,
          sentAt: sent,
          deadline: plus(60),
          ...offer,
        },
      });
    }
    const report = await offerResponsesReport({ range, db: iso.db });
    expect(report.rows).toEqual([
      { bucket: "< 15 min", accepted: 1, refused: 0, expired: 0 },
      { bucket: "15–30 min", accepted: 0, refused: 1, expired: 0 },
      { bucket: "30–60 min", accepted: 0, refused: 0, expired: 0 },
      { bucket: "1–2 h", accepted: 0, refused: 1, expired: 0 },
      { bucket: "≥ 2 h", accepted: 0, refused: 0, expired: 0 },
      { bucket: "no answer (expired)", accepted: 0, refused: 0, expired: 1 },
    ]);
    expect(report.summary).toEqual({
      sent: 6,
      answered: 3,
      expired: 1,
      withdrawn: 1,
      pending: 1,
      medianResponseMinutes: 20,
    });
    const csv = await reportCsv("offers", { range, db: iso.db });
    expect(csv.split("\r\n").slice(0, 2)).toEqual([
      "responseTime,accepted,refused,expired",
      "< 15 min,1,0,0",
    ]);
  });

  it("counts organs in transit per day and per hour", async () => {
    const a = await organ("LUNG");
    await custody(a.id, [
      { kind: "HANDOFF_OFFERED", at: at("02T09:00:00") },
      { kind: "HANDOFF_ACCEPTED", at: at("02T10:00:00") },
      { kind: "ARRIVED", at: at("02T14:00:00") },
    ]);
    const b = await organ("LUNG");
    await custody(b.id, [
      { kind: "HANDOFF_ACCEPTED", at: at("03T22:00:00") },
      { kind: "ARRIVED", at: at("04T03:00:00") },
    ]);
    const c = await organ("LUNG");
    await custody(c.id, [{ kind: "HANDOFF_ACCEPTED", at: at("06T12:00:00") }]);

    const now = new Date("2025-03-08T00:00:00Z");
    const daily = await organsInTransitReport({ range, db: iso.db, now });
    expect(daily.map((r) => r.organs)).toEqual([0, 1, 1, 1, 0, 1, 1]);
    expect(daily[0]?.period).toBe("2025-03-01");

    const hourly = await organsInTransitReport({
      range: resolveReportRange({ from: "2025-03-02", to: "2025-03-02", granularity: "hour" }),
      db: iso.db,
      now,
    });
    expect(hourly).toHaveLength(24);
    expect(hourly.filter((r) => r.organs > 0).map((r) => r.period)).toEqual([
      "2025-03-02T10:00Z",
      "2025-03-02T11:00Z",
      "2025-03-02T12:00Z",
      "2025-03-02T13:00Z",
    ]);
  });

  it("counts consent registrations, changes, family authorisations and revocations per day", async () => {
    const version = (data: {
      donorId?: string;
      version: number;
      kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
      createdAt: Date;
      revokedAt?: Date;
    }) =>
      iso.db.consentVersion.create({
        data: {
          ...data,
          commitment: `0x${hex(32)}`,
          receiptCode: hex(8),
          ledgerEventId: randomUUID(),
        },
      });
    const d1 = await iso.db.donor.create({ data: {} });
    const d2 = await iso.db.donor.create({ data: {} });
    await version({ donorId: d1.id, version: 1, kind: "FIRST_PERSON", createdAt: at("01T09:00:00") });
    await version({
      donorId: d1.id,
      version: 2,
      kind: "FIRST_PERSON",
      createdAt: at("03T09:00:00"),
      revokedAt: at("05T09:00:00"),
    });
    await version({ donorId: d2.id, version: 1, kind: "FIRST_PERSON", createdAt: at("03T23:59:59") });
    await version({ version: 1, kind: "FAMILY_AUTHORISATION", createdAt: at("04T00:00:00") });
    await version({
      donorId: d2.id,
      version: 2,
      kind: "FIRST_PERSON",
      createdAt: new Date("2025-02-28T23:00:00Z"),
    });

    const rows = await consentActivityReport({ range, db: iso.db });
    expect(rows).toHaveLength(7);
    expect(
      rows.filter((r) => r.registrations + r.changes + r.familyAuthorisations + r.revocations > 0),
    ).toEqual([
      { period: "2025-03-01", registrations: 1, changes: 0, familyAuthorisations: 0, revocations: 0 },
      { period: "2025-03-03", registrations: 1, changes: 1, familyAuthorisations: 0, revocations: 0 },
      { period: "2025-03-04", registrations: 0, changes: 0, familyAuthorisations: 1, revocations: 0 },
      { period: "2025-03-05", registrations: 0, changes: 0, familyAuthorisations: 0, revocations: 1 },
    ]);
    const csv = await reportCsv("consent", { range, db: iso.db });
    expect(csv.split("\r\n")[0]).toBe("period,registrations,changes,familyAuthorisations,revocations");
  });

  it("refuses reversed and over-long periods", () => {
    expect(() => resolveReportRange({ from: "2025-03-05", to: "2025-03-01" })).toThrow(/after/);
    expect(() => resolveReportRange({ from: "2020-01-01", to: "2025-01-01" })).toThrow(/731 days/);
    expect(() => resolveReportRange({ from: "2025-01-01", to: "2025-03-01", granularity: "hour" })).toThrow(
      /31 days/,
    );
    expect(() => resolveReportRange({ from: "9999-12-31", to: "9999-12-31" })).toThrow(/2200/);
  });
});

describe("CSV", () => {
  it("escapes per RFC 4180 and neutralises formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
    expect(toCsv([{ header: "x", value: (r: { x: string }) => r.x }], [{ x: "1" }, { x: "," }])).toBe(
      'x\r\n1\r\n","\r\n',
    );
  });
});

describe("access log", () => {
  const donorX = randomUUID();
  const donorY = randomUUID();

  beforeAll(async () => {
    const actor = (u: { id: string }): TActor => ({
      userId: u.id,
      role: "OPO_COORDINATOR",
      orgId: opoOrg.id,
    });
    const access = (opts: { by: { id: string }; donorId: string | null; reasonCode: string; now: Date }) =>
      iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: opts.donorId
            ? { type: "donor", id: opts.donorId }
            : { type: "registry_search", id: opts.by.id },
          type: "personal_data.accessed",
          payload: {
            recordType: "donor_registration",
            ...(opts.donorId ? { recordId: opts.donorId } : {}),
            reasonCode: opts.reasonCode,
            note: { id: randomUUID(), commitment: `0x${"0".repeat(64)}` },
            found: opts.donorId !== null,
          },
          actor: actor(opts.by),
          now: opts.now,
        }),
      );
    await access({ by: staffA, donorId: donorX, reasonCode: "DONOR_REFERRAL", now: at("02T10:00:00") });
    await access({ by: staffA, donorId: donorY, reasonCode: "CASE_REVIEW", now: at("04T10:00:00") });
    await access({ by: staffB, donorId: donorX, reasonCode: "REGULATORY_AUDIT", now: at("06T10:00:00") });
    await access({ by: staffB, donorId: null, reasonCode: "DONOR_REFERRAL", now: at("06T11:00:00") });
  });

  const list = (filter: Parameters<typeof listAccessLog>[0]["filter"]) =>
    listAccessLog({ filter, db: iso.db });

  it("lists every access newest first, with staff but no registrant identity", async () => {
    const all = await list({});
    expect(all.total).toBe(4);
    expect(all.entries.map((e) => e.reasonCode)).toEqual([
      "DONOR_REFERRAL",
      "REGULATORY_AUDIT",
      "CASE_REVIEW",
      "DONOR_REFERRAL",
    ]);
    const first = all.entries[0];
    expect(first?.donorId).toBeNull();
    expect(first?.found).toBe(false);
    expect(all.entries[1]).toMatchObject({
      donorId: donorX,
      found: true,
      staff: { name: "Ben Browse", email: staffB.email, role: "OPO_COORDINATOR", organisation: "Report OPO" },
    });
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ["at", "donorId", "eventId", "found", "reason", "reasonCode", "recordType", "staff"].sort(),
    );
  });

  it("filters by staff, reason, registrant and period, and pages", async () => {
    expect((await list({ staffUserId: staffA.id })).entries.map((e) => e.donorId)).toEqual([donorY, donorX]);
    expect((await list({ reasonCode: "DONOR_REFERRAL" })).total).toBe(2);
    expect((await list({ donorId: donorX })).entries.map((e) => e.reasonCode)).toEqual([
      "REGULATORY_AUDIT",
      "DONOR_REFERRAL",
    ]);
    expect((await list({ from: "2025-03-03", to: "2025-03-05" })).entries.map((e) => e.donorId)).toEqual([
      donorY,
    ]);
    expect((await list({ from: "2025-03-06" })).total).toBe(2);
    expect((await list({ to: "2025-03-02" })).total).toBe(1);
    expect((await list({ staffUserId: staffB.id, reasonCode: "REGULATORY_AUDIT" })).total).toBe(1);
    const page2 = await list({ page: 2, pageSize: 3 });
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.entries).toHaveLength(1);
  });
});

describe("FHIR organ export", () => {
  it("is a collection of Provenance and AuditEvent resources that validates against R4, without identity", async () => {
    const opo: TActor = { userId: staffA.id, role: "OPO_COORDINATOR", orgId: opoOrg.id };
    const { organId, donorId } = await iso.db.$transaction(async (tx) => {
      const { donorId } = await createDonorRecord({
        tx,
        identity: {
          fullName: "Fhir Exportee",
          dateOfBirth: "1961-02-03",
          identifier: { scheme: "GENERIC", value: hex(6).toUpperCase() },
        },
      });
      const consent = await recordConsentInTx({
        tx,
        donorId,
        decision: { kind: "FIRST_PERSON", decision: "DONATE_ALL", organs: [], purposes: ["TRANSPLANT"] },
        actor: { userId: null, role: "DONOR", orgId: null },
      });
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
          code: `DC-${hex(3)}`,
          opoId: opoOrg.id,
          referralHospital: "General",
          consentVersionId: consent.consentVersionId,
          donor: {},
        },
      });
      const o = await tx.organ.create({
        data: {
          donorCaseId: donorCase.id,
          type: "KIDNEY",
          laterality: "LEFT",
          din: `F${hex(6).toUpperCase()}`,
        },
      });
      await appendEvent({
        tx,
        subject: { type: "donor_case", id: donorCase.id },
        type: "donor_case.opened",
        payload: { donorCaseId: donorCase.id, code: donorCase.code, organs: ["KIDNEY"] },
        actor: opo,
      });
      for (const [i, kind] of ["CROSS_CLAMP", "RECOVERED", "DISCARDED"].entries()) {
        await appendEvent({
          tx,
          subject: { type: "organ", id: o.id },
          type: "custody.recorded",
          payload: {
            custodyEventId: randomUUID(),
            organId: o.id,
            sequence: i + 1,
            kind,
            details: {},
            // The discard's reason as the portal records it: a note the event commits to.
            ...(kind === "DISCARDED"
              ? {
                  note: await recordPrivateNote({
                    tx,
                    text: JSON.stringify({ reason: "Biopsy showed fibrosis" }),
                  }),
                }
              : {}),
          },
          actor: opo,
        });
      }
      return { organId: o.id, donorId };
    });

    const bundle = await exportOrganFhir({ organId, db: iso.db });
    expect(validateFhirResource(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection" });
    const resources = (bundle.entry as Array<{ resource: { resourceType: string } }>).map((e) => e.resource);
    // The organ, then consent + case + 3 custody steps, each as Provenance and AuditEvent.
    expect(resources.map((r) => r.resourceType)).toEqual([
      "BiologicallyDerivedProduct",
      ...Array.from({ length: 5 }, () => ["Provenance", "AuditEvent"]).flat(),
    ]);
    for (const r of resources) expect(validateFhirResource(r)).toEqual([]);
    const provenance = resources[1] as unknown as {
      recorded: string;
      agent: Array<{ who: { display?: string } }>;
    };
    expect(provenance.agent[0]?.who).toEqual({ display: "Registrant" });
    const custody = resources.at(-2) as unknown as {
      target: Array<{ reference?: string }>;
      agent: Array<{ who: { identifier?: { value: string } }; onBehalfOf?: { display?: string } }>;
    };
    expect(custody.target[0]?.reference).toBe(`BiologicallyDerivedProduct/${organId}`);
    expect(custody.agent[0]?.who.identifier?.value).toBe(staffA.id);
    expect(custody.agent[0]?.onBehalfOf?.display).toBe("Report OPO");

    const text = JSON.stringify(bundle);
    expect(text).not.toContain(donorId);
    expect(text).not.toContain("Fhir Exportee");
    expect(text).not.toContain("fibrosis");
    expect(text).not.toContain("Referral check");
  });
});
