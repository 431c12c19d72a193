import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { open } from "@/server/crypto/aead";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { unwrapDataKey } from "@/server/crypto/envelope";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { disconnectPrisma, prisma } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { nhsNumber } from "@/test/factories/nhs-number";
import { createStaff } from "@/test/factories/organ-factory";
import { asSuperuser, readAllPages, readWalSince } from "@/test/setup/forensics";
import { contentContext, decryptIdentity, identityContext } from "./donor-record";

/**
 * The attack from the probing report, run for real: after an erasure, a database superuser reads
 * every page of every table of the schema with `pageinspect` (dead row versions included) and every
 * byte of WAL written since the person registered, pulls out every wrapped key and field ciphertext,
 * and tries every key the portal still has (master keys and the key folder's KEKs). Nothing about
 * the erased person decrypts; a person not erased is still readable (the keys were rotated, not lost).
 */
const unique = () => randomBytes(5).toString("hex");

const donorUser = (id: string): TSessionUser => ({
  id,
  email: "x@test",
  name: "Registered donor",
  role: "DONOR",
  organisationId: null,
  organisationName: null,
});

async function signUp() {
  const person = {
    fullName: `Forensic Testperson ${unique()}`,
    dateOfBirth: "1977-03-09",
    identifier: { scheme: "UK_NHS" as const, value: nhsNumber() },
    email: `${unique()}@donor.test`,
    password: "a long enough password",
  };
  await createCaller({ user: null }).consent.register(person);
  // Registration answers every sign-up alike: find the new account and record by its e-mail.
  const { id: userId } = await prisma.user.findUniqueOrThrow({ where: { email: person.email } });
  const { id: donorId } = await prisma.donor.findUniqueOrThrow({ where: { userId } });
  const caller = createCaller({ user: donorUser(userId) });
  const version = await caller.consent.recordDecision({
    kind: "FIRST_PERSON",
    decision: "DONATE_SELECTED",
    organs: ["KIDNEYS"],
    purposes: ["TRANSPLANT"],
    restrictions: `Restriction ${unique()}`,
  });
  return { person, donorId, caller, versionId: version.consentVersionId };
}

const owner = parseDatabaseUrl(process.env.DATABASE_URL ?? "");

const superuser = <T>(fn: (c: pg.Client) => Promise<T>) => asSuperuser(owner.connectionString, fn);

const WRAPPED = /wk[12]\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{40,}/g;
const FIELD = /ef1\.[A-Za-z0-9_-]{28,}/g;

function tryUnwrap(ring: TKeyRing, wrapped: string): Buffer | null {
  try {
    return unwrapDataKey(ring, wrapped);
  } catch {
    return null;
  }
}

function tryOpen(dek: Buffer, field: string, context: string): string | null {
  try {
    return open(dek, field.slice(4), `ef1|${context}`, "field").toString("utf8");
  } catch {
    return null;
  }
}

afterAll(disconnectPrisma);

describe("erasure under forensics", () => {
  it("leaves nothing that decrypts in dead tuples or the WAL with any key the portal still has", {
    timeout: 120_000,
  }, async () => {
    const ring = dataKeyRing();
    expect(ring.kek, "the integration run has a key folder").toBeDefined();
    const startLsn = await superuser(
      async (c) => (await c.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]?.lsn,
    );
    const erased = await signUp();
    const kept = await signUp();
    const row = await prisma.donor.findUniqueOrThrow({ where: { id: erased.donorId } });
    const erasedWrapped = row.wrappedKey as string;
    const erasedDek = unwrapDataKey(ring, erasedWrapped);
    // An OPO looks the person up, naming them in the stated reason (as the probing report found).
    const opo = await createStaff({ kind: "OPO" });
    const referral = `Referral: ${erased.person.fullName}, ICU bed 7`;
    await createCaller({ user: { ...opo.user, organisationName: opo.org.name } }).consent.search({
      identifier: erased.person.identifier,
      dateOfBirth: erased.person.dateOfBirth,
      reasonCode: "DONOR_REFERRAL",
      reasonNote: referral,
    });
    const before = await erased.caller.consent.myAccessHistory();
    expect(before.map((a) => a.reason)).toContain(`Evaluating a referred potential donor: ${referral}`);
    const accessEvent = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "donor", subjectId: erased.donorId, type: "personal_data.accessed" },
    });
    // The ledger holds the reason's code and a commitment, never the text.
    expect(JSON.stringify(accessEvent.payload)).not.toContain(erased.person.fullName);
    const noteId = (accessEvent.payload as { note: { id: string } }).note.id;
    // Updates leave the earlier versions of the row behind as dead tuples, like real use does.
    await erased.caller.consent.recordDecision({
      kind: "FIRST_PERSON",
      decision: "DONATE_ALL",
      organs: [],
      purposes: ["TRANSPLANT"],
    });

    await erased.caller.consent.erase({ confirm: "ERASE" });

    // The scan, the kept person's wrapped key and the portal's keys are read at one moment: other
    // files of the run erase people in the same schema, and each erasure re-wraps every key and
    // destroys the KEK they were under. They take the data-key lock exclusively; the scan holds it shared.
    const KEY_LOCK = "hashtextextended('data-keys:kek', 0)";
    const { pages, wal, keptWrapped, now } = await superuser(async (c) => {
      await c.query(`SELECT pg_advisory_lock_shared(${KEY_LOCK})`);
      try {
        const { rows } = await c.query<{ wrappedKey: string }>(
          `SELECT "wrappedKey" FROM "${owner.schema}"."Donor" WHERE id = $1::uuid`,
          [kept.donorId],
        );
        return {
          pages: await readAllPages(c, owner.schema),
          wal: await readWalSince(c, startLsn as string),
          keptWrapped: rows[0]?.wrappedKey as string,
          now: dataKeyRing(), // every key the portal has after the erasure
        };
      } finally {
        await c.query(`SELECT pg_advisory_unlock_shared(${KEY_LOCK})`);
      }
    });
    const text = [...pages, ...wal].map((b) => b.toString("latin1")).join("\n");
    // The scan sees the copies an attacker would use: the erased person's wrapped key is still there.
    expect(text).toContain(erasedWrapped);

    const wrappedFound = new Set(text.match(WRAPPED) ?? []);
    const fieldsFound = new Set(text.match(FIELD) ?? []);
    const deks = [...wrappedFound].map((w) => tryUnwrap(now, w)).filter((d): d is Buffer => d !== null);
    expect(
      deks.some((d) => d.equals(erasedDek)),
      "the erased person's data key unwraps",
    ).toBe(false);
    expect(tryUnwrap(now, erasedWrapped)).toBeNull();

    // Every field ciphertext found, against every data key recovered, in the erased person's contexts.
    const contexts = [
      identityContext(erased.donorId),
      contentContext(erased.versionId),
      `PrivateNote.text:${noteId}`,
    ];
    for (const field of fieldsFound) {
      for (const dek of deks) {
        for (const context of contexts) expect(tryOpen(dek, field, context)).toBeNull();
      }
    }
    // The regulator's view of the look-up keeps who, when and why (the code); the note is gone.
    const log = await prisma.privateNote.findUniqueOrThrow({ where: { id: noteId } });
    expect(log.ciphertext).toBeNull();
    for (const secret of [erased.person.fullName, erased.person.identifier.value]) {
      expect(text, "no plain copy of the identity").not.toContain(secret);
    }

    // The method works: the person not erased is recovered by the same scan, and still readable.
    expect(text).toContain(keptWrapped);
    const keptDek = unwrapDataKey(now, keptWrapped);
    expect(deks.some((d) => d.equals(keptDek))).toBe(true);
    const keptRow = await prisma.donor.findUniqueOrThrow({ where: { id: kept.donorId } });
    expect(decryptIdentity(dataKeyRing(), keptRow)?.fullName).toBe(kept.person.fullName);
  });
});
