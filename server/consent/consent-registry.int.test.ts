import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { verifyCommitment } from "@/server/crypto/commitment";
import { parseKeyRing } from "@/server/crypto/key-ring";
import { disconnectPrisma, prisma } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { resetEnvCache } from "@/server/env";
import { isAppError } from "@/server/errors";
import { validateFhirResource } from "@/server/fhir/validate-resource";
import { allOpen, openKeyedRecords, writeKeyedRecords } from "@/test/factories/keyed-records";
import { nhsNumber } from "@/test/factories/nhs-number";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { REGISTRATION_RECEIVED } from "./registration-notice";
import { rotateDataKeys } from "./rotate-keys";

const unique = () => randomBytes(5).toString("hex");
const donorUser = (id: string): TSessionUser => ({
  id,
  email: "x@test",
  name: "Registered donor",
  role: "DONOR",
  organisationId: null,
  organisationName: null,
});
const staffUser = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const app = isAppError(err) ? err : isAppError(cause) ? cause : null;
    if (app) return { code: app.code, message: app.message, fieldErrors: app.fieldErrors };
    // What the API's error formatter sends for invalid input: "path: message; …".
    if (cause instanceof ZodError) {
      return {
        code: "BAD_REQUEST",
        message: cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        fieldErrors: Object.fromEntries(cause.issues.map((i) => [i.path.join("."), i.message])),
      };
    }
    return { code: (err as { code?: string }).code, message: (err as Error).message, fieldErrors: undefined };
  }
  throw new Error("expected a refusal");
}

async function signUp(overrides: Record<string, unknown> = {}) {
  const person = {
    fullName: `Ada Testperson ${unique()}`,
    dateOfBirth: "1980-04-12",
    identifier: { scheme: "UK_NHS" as const, value: nhsNumber() },
    email: `${unique()}@donor.test`,
    phone: `+4420794${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`,
    password: "a long enough password",
    ...overrides,
  };
  const answer = await createCaller({ user: null }).consent.register(person);
  expect(answer).toEqual({ message: REGISTRATION_RECEIVED });
  const user = await prisma.user.findUniqueOrThrow({ where: { email: person.email.toLowerCase() } });
  const { id: donorId } = await prisma.donor.findUniqueOrThrow({ where: { userId: user.id } });
  return { person, userId: user.id, donorId, caller: createCaller({ user: donorUser(user.id) }) };
}

let opo: TStaff;
let regulator: TStaff;
beforeAll(async () => {
  [opo, regulator] = await Promise.all([createStaff({ kind: "OPO" }), createStaff({ kind: "REGULATOR" })]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("donor registration", () => {
  it("stores identity encrypted: no clear name, identifier or date of birth in the row", async () => {
    const { person, donorId } = await signUp();
    const row = await prisma.donor.findUniqueOrThrow({ where: { id: donorId } });
    const text = JSON.stringify(row);
    expect(text).not.toContain(person.fullName);
    expect(text).not.toContain(person.identifier.value);
    expect(text).not.toContain(person.dateOfBirth);
    expect(row.identityIndex).toMatch(/^bi1\./);
  });

  it("a second registration of the same identifier and date of birth writes nothing and is answered like any other", async () => {
    const { person, donorId } = await signUp();
    const { identityIndex } = await prisma.donor.findUniqueOrThrow({ where: { id: donorId } });
    // Other test files write to the same database at the same time: count only this person's rows.
    const email = `${unique()}@donor.test`;
    const answer = await createCaller({ user: null }).consent.register({
      ...person,
      email,
      identifier: { scheme: "UK_NHS", value: person.identifier.value.replace(/(\d{3})(\d{3})/, "$1 $2 ") },
    });
    // No "already registered" oracle: the same answer as a new registration.
    expect(answer).toEqual({ message: REGISTRATION_RECEIVED });
    expect(await prisma.user.count({ where: { email } })).toBe(0);
    expect(await prisma.donor.count({ where: { identityIndex } })).toBe(1);
  });

  it("a registration with an e-mail that has an account writes nothing and is answered like any other", async () => {
    const { person, userId } = await signUp();
    const before = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    const answer = await createCaller({ user: null }).consent.register({
      ...person,
      identifier: { scheme: "UK_NHS", value: nhsNumber() },
      password: "another long password",
    });
    expect(answer).toEqual({ message: REGISTRATION_RECEIVED });
    // The account is untouched (its password was not replaced) and no second person was made.
    expect(await prisma.user.findUniqueOrThrow({ where: { id: userId } })).toEqual(before);
    expect(await prisma.donor.count({ where: { userId } })).toBe(1);
  });

  it("two racing registrations of one person: exactly one is recorded, all get the same answer", async () => {
    const identifier = { scheme: "UK_NHS" as const, value: nhsNumber() };
    const emails = Array.from({ length: 6 }, () => `${unique()}@donor.test`);
    const results = await Promise.allSettled(
      emails.map((email) =>
        createCaller({ user: null }).consent.register({
          fullName: "Racing Person",
          dateOfBirth: "1975-01-31",
          identifier,
          email,
          password: "a long enough password",
        }),
      ),
    );
    for (const r of results)
      expect(r).toEqual({ status: "fulfilled", value: { message: REGISTRATION_RECEIVED } });
    expect(await prisma.user.count({ where: { email: { in: emails } } })).toBe(1);
  });

  it("names the field and the rule for bad input", async () => {
    const r = await refusal(
      signUp({
        dateOfBirth: "2023-02-30",
        identifier: { scheme: "UK_NHS", value: "1234567890" },
        password: "short",
      }),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/dateOfBirth: 2023-02-30 is not a real date/);
    expect(r.message).toMatch(/identifier.value: this is not a valid NHS number/);
    expect(r.message).toMatch(/password: the password needs at least 12 characters/);
  });
});

describe("consent versions", () => {
  it("records, changes and revokes; every version kept, each with a receipt that verifies", async () => {
    const { caller, userId, donorId } = await signUp();
    const empty = await refusal(
      caller.consent.recordDecision({
        kind: "FIRST_PERSON",
        decision: "DONATE_SELECTED",
        organs: [],
        purposes: ["TRANSPLANT"],
      }),
    );
    expect(empty.code).toBe("BAD_REQUEST");
    expect(empty.message).toMatch(/organs: choose at least one organ/);

    const v1 = await caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_SELECTED",
      organs: ["LIVER", "KIDNEYS"],
      purposes: ["TRANSPLANT"],
      restrictions: "Not for research",
    });
    const v2 = await caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_ALL",
      purposes: ["TRANSPLANT", "RESEARCH"],
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const revoked = await caller.consent.revoke();
    expect(revoked.version).toBe(2);
    expect((await refusal(caller.consent.revoke())).message).toMatch(/no consent in force/);

    const mine = await caller.consent.myRegistration();
    expect(mine.state).toBe("REVOKED");
    expect(mine.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "REVOKED"],
      [1, "SUPERSEDED"],
    ]);
    expect(mine.versions[1]?.decision.organs).toEqual(["KIDNEYS", "LIVER"]);

    const events = await prisma.ledgerEvent.findMany({
      where: { subjectType: "donor", subjectId: donorId },
      orderBy: { sequence: "asc" },
    });
    // Each decision is followed by its signature record: this donor has no passkey, so the fallback.
    expect(events.map((e) => e.type)).toEqual([
      "consent.recorded",
      "signature.not_signed",
      "consent.recorded",
      "signature.not_signed",
      "consent.revoked",
      "signature.not_signed",
    ]);
    expect(events.filter((e) => e.type === "signature.not_signed").map((e) => e.payload)).toMatchObject([
      { meaning: "CONSENT_DECISION", reasonCode: "NO_PASSKEY", signedEventId: events[0]?.id },
      { meaning: "CONSENT_CHANGED", reasonCode: "NO_PASSKEY", signedEventId: events[2]?.id },
      { meaning: "CONSENT_REVOKED", reasonCode: "NO_PASSKEY", signedEventId: events[4]?.id },
    ]);
    expect(JSON.stringify(events.map((e) => e.payload))).not.toMatch(/DONATE|LIVER|research/i);

    // Public verification: commitment and ledger proof, no content.
    const anon = await createCaller({ user: null }).consent.verifyReceipt({ code: v1.receiptCode });
    expect(anon).toMatchObject({
      version: 1,
      status: "SUPERSEDED",
      commitment: v1.commitment,
      commitmentOnLedger: true,
      content: null,
    });
    expect(anon.proof.hashValid).toBe(true);
    // The owner also sees the content, and that it opens the commitment.
    const own = await caller.consent.verifyReceipt({ code: v2.receiptCode.toLowerCase() });
    expect(own.status).toBe("REVOKED");
    expect(own.revocationProof?.hashValid).toBe(true);
    expect(own.content?.decision.decision).toBe("DONATE_ALL");
    expect(own.content?.commitmentMatches).toBe(true);
    expect(
      verifyCommitment({
        salt: own.content?.salt ?? "",
        value: { consentVersionId: v2.consentVersionId, version: 2, decision: own.content?.decision },
        commitment: own.commitment,
      }),
    ).toBe(true);
    // The database's part of a check (the version, both proofs) on one pooled connection: under
    // load each statement on its own queued for the pool again.
    const connect = vi.spyOn(pg.Pool.prototype, "connect");
    try {
      expect(
        (await createCaller({ user: null }).consent.verifyReceipt({ code: v2.receiptCode })).status,
      ).toBe("REVOKED");
      expect(connect).toHaveBeenCalledTimes(1);
    } finally {
      connect.mockRestore();
    }
    // Someone else signed in sees no content.
    const other = await signUp();
    expect((await other.caller.consent.verifyReceipt({ code: v2.receiptCode })).content).toBeNull();
    expect((await refusal(createCaller({ user: null }).consent.verifyReceipt({ code: "NOPE" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect(userId).toBeTruthy();
  });

  it("concurrent changes get consecutive version numbers", async () => {
    const { caller } = await signUp();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        caller.consent.recordDecision({
          kind: "FIRST_PERSON",
          decision: "DONATE_ALL",
          purposes: ["TRANSPLANT"],
        }),
      ),
    );
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("staff access", () => {
  it("a coordinator's search needs a reason, finds the decision, and shows in the donor's access history", async () => {
    const { caller, person, donorId } = await signUp();
    await caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_ALL",
      purposes: ["TRANSPLANT"],
    });
    const coordinator = createCaller({ user: staffUser(opo) });
    const noReason = await refusal(
      coordinator.consent.search({
        identifier: person.identifier,
        dateOfBirth: person.dateOfBirth,
        reasonCode: "DONOR_REFERRAL",
        reasonNote: "",
      } as never),
    );
    expect(noReason.message).toMatch(/reasonNote: explain why/);
    const found = await coordinator.consent.search({
      identifier: person.identifier,
      dateOfBirth: person.dateOfBirth,
      reasonCode: "DONOR_REFERRAL",
      reasonNote: "Referral from ICU bed 4",
    });
    expect(found.found).toBe(true);
    if (!found.found) return;
    expect(found.donorId).toBe(donorId);
    expect(found.current?.decision.decision).toBe("DONATE_ALL");

    const missing = await coordinator.consent.search({
      identifier: { scheme: "UK_NHS", value: nhsNumber() },
      dateOfBirth: "1990-01-01",
      reasonCode: "DONOR_REFERRAL",
      reasonNote: "Referral with no registration",
    });
    expect(missing.found).toBe(false);
    expect(
      await prisma.ledgerEvent.count({
        where: { id: missing.accessEventId, type: "personal_data.accessed" },
      }),
    ).toBe(1);

    const history = await caller.consent.myAccessHistory();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      organisation: opo.org.name,
      actorRole: "OPO_COORDINATOR",
      reasonCode: "DONOR_REFERRAL",
    });
    expect(history[0]?.reason).toContain("Referral from ICU bed 4");
    const asRegulator = await createCaller({ user: staffUser(regulator) }).consent.accessHistory({ donorId });
    expect(asRegulator).toHaveLength(1);
    // The regulator's view of the registrant: versions and access, no identity, no decision.
    const seen = await createCaller({ user: staffUser(regulator) }).consent.registrantHistory({ donorId });
    expect(seen.versions.map((v) => [v.version, v.status, v.kind])).toEqual([
      [1, "IN_FORCE", "FIRST_PERSON"],
    ]);
    expect(seen.access).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toMatch(
      new RegExp(`${person.fullName}|${person.identifier.value}|DONATE_ALL`),
    );
  });

  it("family authorisation for someone never registered; never over a first-person decision", async () => {
    const coordinator = createCaller({ user: staffUser(opo) });
    const person = {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1961-07-04",
      identifier: { scheme: "UK_NHS" as const, value: nhsNumber() },
    };
    const noWitness = await refusal(
      coordinator.consent.recordFamilyAuthorisation({
        person,
        decision: "DONATE_SELECTED",
        organs: ["KIDNEYS"],
        purposes: ["TRANSPLANT"],
        authorisedBy: { name: "Sam Spouse", relationship: "SPOUSE", witness: "" },
      }),
    );
    expect(noWitness.message).toMatch(/authorisedBy.witness/);
    const recorded = await coordinator.consent.recordFamilyAuthorisation({
      person,
      decision: "DONATE_SELECTED",
      organs: ["KIDNEYS"],
      purposes: ["TRANSPLANT"],
      authorisedBy: { name: "Sam Spouse", relationship: "SPOUSE", witness: "Dr Wit Ness" },
    });
    expect(recorded.version).toBe(1);
    const row = await prisma.consentVersion.findUniqueOrThrow({ where: { id: recorded.consentVersionId } });
    expect(row.kind).toBe("FAMILY_AUTHORISATION");
    expect(row.wrappedKey).not.toBeNull();

    const registered = await signUp();
    await registered.caller.consent.recordDecision({ kind: "FIRST_PERSON", decision: "OBJECTION" });
    const refused = await refusal(
      coordinator.consent.recordFamilyAuthorisation({
        person: { ...registered.person, identifier: registered.person.identifier },
        decision: "DONATE_ALL",
        purposes: ["TRANSPLANT"],
        authorisedBy: { name: "Sam Spouse", relationship: "SPOUSE", witness: "Dr Wit Ness" },
      }),
    );
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(/first-person decision in force/);
  });

  it("exports a version as a FHIR R4 Consent valid against the official schema", async () => {
    const { caller, person } = await signUp();
    const v = await caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_SELECTED",
      organs: ["HEART", "CORNEAS"],
      purposes: ["TRANSPLANT", "EDUCATION"],
    });
    const mine = await caller.consent.exportFhir({ consentVersionId: v.consentVersionId });
    expect(validateFhirResource(mine)).toEqual([]);
    expect(mine.resourceType).toBe("Consent");
    expect(JSON.stringify(mine)).toContain(person.fullName);

    const regulatorCaller = createCaller({ user: staffUser(regulator) });
    expect(
      (await refusal(regulatorCaller.consent.exportFhir({ consentVersionId: v.consentVersionId }))).code,
    ).toBe("BAD_REQUEST");
    const audited = await regulatorCaller.consent.exportFhir({
      consentVersionId: v.consentVersionId,
      reason: { reasonCode: "REGULATORY_AUDIT", reasonNote: "Annual consent audit" },
    });
    expect(validateFhirResource(audited)).toEqual([]);
    expect(JSON.stringify(audited)).not.toContain(person.fullName);
    expect((await caller.consent.myAccessHistory())[0]?.reasonCode).toBe("REGULATORY_AUDIT");
    // A donor cannot export someone else's version.
    const other = await signUp();
    expect(
      (await refusal(other.caller.consent.exportFhir({ consentVersionId: v.consentVersionId }))).code,
    ).toBe("NOT_FOUND");
  });
});

describe("erasure", () => {
  it("leaves nothing readable about the donor anywhere in the database; the ledger keeps its proofs", async () => {
    const restrictions = `Only for patients in ward ${unique()}`;
    const { caller, person, donorId, userId } = await signUp();
    const v1 = await caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_SELECTED",
      organs: ["LUNGS"],
      purposes: ["TRANSPLANT"],
      restrictions,
    });
    await createCaller({ user: staffUser(opo) }).consent.search({
      identifier: person.identifier,
      dateOfBirth: person.dateOfBirth,
      reasonCode: "FAMILY_APPROACH",
      reasonNote: "Family meeting this afternoon",
    });
    expect((await refusal(caller.consent.erase({ confirm: "yes" } as never))).message).toMatch(/type ERASE/);
    await caller.consent.erase({ confirm: "ERASE" });

    // Dump every table of the schema and look for anything the donor told us.
    const url = parseDatabaseUrl(process.env.DATABASE_URL ?? "");
    const client = new pg.Client({ connectionString: url.connectionString });
    await client.connect();
    try {
      const tables = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
        [url.schema],
      );
      const secrets = [
        person.fullName,
        person.identifier.value,
        person.email,
        person.phone,
        restrictions,
        "1980-04-12",
      ];
      for (const { table_name } of tables.rows as Array<{ table_name: string }>) {
        const rows = await client.query(`SELECT * FROM "${url.schema}"."${table_name}"`);
        const dump = JSON.stringify(rows.rows);
        for (const secret of secrets.slice(0, 5))
          expect(dump, `${table_name} still holds ${secret}`).not.toContain(secret);
      }
    } finally {
      await client.end();
    }
    const donor = await prisma.donor.findUniqueOrThrow({ where: { id: donorId } });
    expect(donor).toMatchObject({
      identityCiphertext: null,
      wrappedKey: null,
      identityIndex: null,
      userId: null,
    });
    expect(donor.erasedAt).not.toBeNull();
    expect(await prisma.user.findUnique({ where: { id: userId } })).toBeNull();
    const version = await prisma.consentVersion.findUniqueOrThrow({ where: { id: v1.consentVersionId } });
    expect(version).toMatchObject({ contentCiphertext: null, decision: null, commitment: v1.commitment });
    // The receipt still proves a version existed, and says it was erased.
    const receipt = await createCaller({ user: null }).consent.verifyReceipt({ code: v1.receiptCode });
    expect(receipt).toMatchObject({ status: "ERASED", content: null, commitmentOnLedger: true });
    expect(receipt.proof.hashValid).toBe(true);
    expect((await refusal(caller.consent.myRegistration())).code).toBe("NOT_FOUND");
    // The same person may register again later.
    await signUp({ identifier: person.identifier, dateOfBirth: person.dateOfBirth });
  });
});

describe("key rotation", () => {
  it("re-wraps every data key under a new master key; registrants, custody notes and candidates stay readable and findable without the old key", async () => {
    // Its own schema: rotating the shared one would re-key records other test files are using.
    const iso = await createIsolatedDatabase("rot");
    try {
      const oldKeys = testKeyRingSource("old");
      const newKeys = testKeyRingSource("new");
      const written = await writeKeyedRecords(iso.db, parseKeyRing(oldKeys));
      const rotating = parseKeyRing(`${newKeys},${oldKeys}`);
      expect(await rotateDataKeys({ ring: rotating, db: iso.db })).toEqual({
        rewrapped: {
          "Donor.wrappedKey": 1,
          "ConsentVersion.wrappedKey": 0,
          "PrivateNote.wrappedKey": 1,
          "Candidate.wrappedKey": 1,
        },
        blindIndexes: 1,
      });
      // Safe to re-run: nothing is left to re-wrap.
      expect(await rotateDataKeys({ ring: rotating, db: iso.db })).toEqual({
        rewrapped: {
          "Donor.wrappedKey": 0,
          "ConsentVersion.wrappedKey": 0,
          "PrivateNote.wrappedKey": 0,
          "Candidate.wrappedKey": 0,
        },
        blindIndexes: 0,
      });
      const after = parseKeyRing(newKeys); // the old key is gone
      expect(await openKeyedRecords(iso.db, after, written)).toEqual(allOpen(written));
    } finally {
      await iso.drop();
    }
  });
});

describe("logs", () => {
  it("never carry a registrant's identity, whatever happens", async () => {
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
      }),
    );
    try {
      const { person, caller } = await signUp();
      // Duplicates (answered like any registration) log nothing personal either.
      const anonymous = createCaller({ user: null }).consent;
      await anonymous.register({ ...person, email: `${unique()}@donor.test` });
      await anonymous.register({ ...person, identifier: { scheme: "UK_NHS", value: nhsNumber() } });
      await caller.consent.recordDecision({
        kind: "FIRST_PERSON",
        decision: "DONATE_SELECTED",
        organs: ["HEART"],
        purposes: ["TRANSPLANT"],
      });
      await createCaller({ user: staffUser(opo) }).consent.search({
        identifier: person.identifier,
        dateOfBirth: person.dateOfBirth,
        reasonCode: "DONOR_REFERRAL",
        reasonNote: "Log check",
      });
      // An unexpected failure (the keys vanish) is logged by the API: still nothing personal.
      const saved = process.env.DATA_ENCRYPTION_KEYS;
      process.env.DATA_ENCRYPTION_KEYS = testKeyRingSource("wrong");
      resetEnvCache();
      try {
        await refusal(caller.consent.myRegistration());
      } finally {
        process.env.DATA_ENCRYPTION_KEYS = saved;
        resetEnvCache();
      }
      const text = lines.join("\n");
      for (const secret of [
        person.fullName,
        person.identifier.value,
        person.email,
        person.phone,
        person.dateOfBirth,
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
