import { describe, expect, it } from "vitest";
import type { TConsentVersionView } from "@/server/consent/consent-history";
import { type TConsentDecisionInput, ZConsentDecisionSchema } from "@/server/consent/decision-schema";
import { toFhirAuditEvent } from "./audit-event-resource";
import { toFhirConsent } from "./consent-resource";
import { toFhirProvenance } from "./provenance-resource";
import { validateFhirResource } from "./validate-resource";

const at = new Date("2026-03-15T09:30:00.000Z");
function version(
  input: TConsentDecisionInput,
  extra: Partial<TConsentVersionView> = {},
): TConsentVersionView {
  return {
    type: "CONSENT_RECORDED",
    version: 2,
    decision: ZConsentDecisionSchema.parse(input),
    receiptCode: "7Q3XK9M2PA",
    at,
    by: "user_1",
    status: "IN_FORCE",
    ...extra,
  };
}
const selected = version({
  kind: "FIRST_PERSON",
  decision: "DONATE_SELECTED",
  organs: ["KIDNEYS", "BLOOD_VESSELS", "CORNEAS"],
  purposes: ["TRANSPLANT", "RESEARCH"],
  restrictions: "Not for cosmetic research",
});
const family = version({
  kind: "FAMILY_AUTHORISATION",
  decision: "DONATE_ALL",
  purposes: ["TRANSPLANT"],
  authorisedBy: { name: "Grace Hopper", relationship: "SPOUSE", witness: "Dr. Carrel" },
});
const objection = version({ kind: "FIRST_PERSON", decision: "OBJECTION" });
const identity = { fullName: "Ada Lovelace", identifier: { scheme: "UK_NHS" as const, value: "9434765919" } };

describe("toFhirConsent", () => {
  it.each([
    { desc: "selected organs", v: selected },
    { desc: "all organs, family authorisation", v: family },
    { desc: "objection", v: objection },
    {
      desc: "revoked version",
      v: { ...selected, status: "REVOKED" as const, endedAt: new Date("2026-04-01T00:00:00Z") },
    },
  ])("produces a valid R4 Consent: $desc", ({ v }) => {
    for (const withIdentity of [false, true]) {
      const resource = toFhirConsent({
        version: v,
        subjectId: "reg_123",
        identity: withIdentity ? identity : undefined,
      });
      expect(validateFhirResource(resource)).toEqual([]);
    }
  });

  it("permits the chosen organs with SNOMED codes where known, for the chosen purposes", () => {
    type TConsentJson = {
      status: string;
      identifier: unknown;
      dateTime: string;
      extension: { valueString: string }[];
      provision: { type: string; code: { coding: { code: string }[] }[]; purpose: { code: string }[] };
    };
    const r = toFhirConsent({
      version: selected,
      subjectId: "reg_123",
      commitment: "0xabc",
    }) as unknown as TConsentJson;
    expect(r.status).toBe("active");
    expect(r.identifier).toEqual([{ system: expect.stringContaining("receipt-code"), value: "7Q3XK9M2PA" }]);
    expect(r.provision.type).toBe("permit");
    expect(r.provision.code.map((c) => c.coding.map((x) => x.code))).toEqual([
      ["KIDNEYS", "64033007"],
      ["CORNEAS", "28726007"],
      ["BLOOD_VESSELS"],
    ]);
    expect(r.provision.purpose.map((p) => p.code)).toEqual(["TRANSPLANT", "RESEARCH"]);
    expect(r.dateTime).toBe("2026-03-15T09:30:00.000Z");
    expect(r.extension.map((e) => e.valueString)).toEqual(["Not for cosmetic research", "0xabc"]);
  });

  it("denies for an objection, and marks superseded versions inactive", () => {
    expect(toFhirConsent({ version: objection, subjectId: "r" })).toMatchObject({
      status: "active",
      provision: { type: "deny" },
    });
    const old = toFhirConsent({
      version: { ...objection, status: "SUPERSEDED", endedAt: new Date(at.getTime() + 1000) },
      subjectId: "r",
    });
    expect(old).toMatchObject({
      status: "inactive",
      provision: { period: { end: "2026-03-15T09:30:01.000Z" } },
    });
  });

  it("leaves identity out unless asked", () => {
    const anonymous = JSON.stringify(toFhirConsent({ version: family, subjectId: "reg_123" }));
    for (const secret of ["Ada", "9434765919", "Grace", "Carrel"]) expect(anonymous).not.toContain(secret);
    expect(anonymous).toContain('"Patient/reg-123"');
    expect(anonymous).toContain('"SPS"');

    const named = JSON.stringify(toFhirConsent({ version: family, subjectId: "reg_123", identity }));
    for (const secret of [
      "Ada Lovelace",
      "9434765919",
      "https://fhir.nhs.uk/Id/nhs-number",
      "Grace Hopper",
      "Dr. Carrel",
    ]) {
      expect(named).toContain(secret);
    }
  });
});

describe("validateFhirResource", () => {
  const good = toFhirConsent({ version: selected, subjectId: "reg_123" });

  it.each([
    { desc: "a wrong status", patch: { status: "approved" }, path: "status", want: /must be one of draft/ },
    { desc: "a missing status", patch: { status: undefined }, path: "status", want: /is required/ },
    { desc: "a missing scope", patch: { scope: undefined }, path: "(resource)", want: /missing "scope"/ },
    {
      desc: "an unknown element",
      patch: { organs: ["KIDNEYS"] },
      path: "(resource)",
      want: /unknown element "organs"/,
    },
    {
      desc: "a malformed dateTime",
      patch: { dateTime: "15/03/2026" },
      path: "dateTime",
      want: /valid FHIR dateTime/,
    },
    {
      desc: "a bad provision type",
      patch: { provision: { type: "allow" } },
      path: "provision.type",
      want: /deny, permit/,
    },
    {
      desc: "a category that is not a list",
      patch: { category: { text: "x" } },
      path: "category",
      want: /array/,
    },
  ])("refuses $desc", ({ patch, path, want }) => {
    const broken = JSON.parse(JSON.stringify({ ...good, ...patch }));
    const issues = validateFhirResource(broken);
    expect(issues.find((i) => i.path === path)?.message).toMatch(want);
  });

  it("refuses non-resources and unknown types", () => {
    expect(validateFhirResource(null)[0]?.message).toMatch(/JSON object/);
    expect(validateFhirResource({})[0]).toEqual({ path: "resourceType", message: "is required" });
    expect(validateFhirResource({ resourceType: "Donor" })[0]?.message).toMatch(/not an R4 resource type/);
  });

  it("checks contained resources too", () => {
    const r = JSON.parse(JSON.stringify(toFhirConsent({ version: family, subjectId: "r" })));
    r.contained[0].gender = "unknown-ish";
    expect(validateFhirResource(r)).not.toEqual([]);
  });
});

describe("toFhirProvenance", () => {
  it("produces a valid R4 Provenance and fails when broken", () => {
    const resource = toFhirProvenance({
      id: "evt_01",
      targets: [{ reference: "Consent/7Q3XK9M2PA-v2" }],
      recorded: at,
      occurredAt: new Date("2026-03-15T09:29:00Z"),
      activity: "CREATE",
      actor: { reference: "Practitioner/user-1" },
      onBehalfOf: { reference: "Organization/opo-1" },
      reason: "donor changed decision",
      ledger: { eventId: "evt_01", hash: `0x${"ab".repeat(32)}` },
    });
    expect(validateFhirResource(resource)).toEqual([]);
    expect(validateFhirResource({ ...resource, target: undefined })[0]?.message).toMatch(/missing "target"/);
    expect(validateFhirResource({ ...resource, recorded: "2026-03-15" })[0]?.path).toBe("recorded");
  });
});

describe("toFhirAuditEvent", () => {
  it("produces a valid R4 AuditEvent without the searched identifier", () => {
    const resource = toFhirAuditEvent({
      id: "audit_1",
      action: "E",
      interaction: "search-type",
      recorded: at,
      actor: { reference: "Practitioner/coord-7", display: "OPO coordinator" },
      onBehalfOf: { reference: "Organization/opo-1" },
      reason: "Referral 2026-0315 from St Elsewhere ICU",
      patient: { reference: "Patient/reg-123" },
      records: [{ reference: "Consent/7Q3XK9M2PA-v2" }],
    });
    expect(validateFhirResource(resource)).toEqual([]);
    expect(validateFhirResource({ ...resource, action: "X" })[0]?.path).toBe("action");
    expect(validateFhirResource({ ...resource, source: undefined })[0]?.message).toMatch(/missing "source"/);
  });
});
