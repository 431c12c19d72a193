import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { disconnectPrisma, prisma } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { exportAuditBundle, type TAuditBundle, verifyAuditBundle } from "@/server/ledger/audit-bundle";
import { eventHash } from "@/server/ledger/hash";
import { challengeForEventHash } from "@/server/ledger/passkey-signatures";
import { auditWholeLedger } from "@/server/regulator/ledger-audit";
import { donorFacts } from "@/test/factories/allocation-factory";
import { createColleague, createStaff, type TStaff } from "@/test/factories/organ-factory";
import { softAuthenticator } from "@/test/factories/soft-authenticator";
import { anchorEverything, deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase, useOwnKeyFolder } from "@/test/setup/isolated-db";
import { decisionSignatures } from "./decision-signatures";
import { relyingParty } from "./relying-party";

/**
 * Passkey signatures end to end through the real procedures, PostgreSQL and chain: a centre
 * coordinator enrols a passkey (a ledger event with the public key), accepts an offer and signs the
 * answer's event hash; a colleague without a passkey refuses one (the fallback is recorded); the
 * offline verifier checks both from the bundle and the chain, and names a tampered signature.
 */
const rpc = process.env.RPC_URL as string;
const provider = createProvider(rpc);
const dir = mkdtempSync(path.join(tmpdir(), "passkey-"));
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let registry: TAnchorRegistry;
let opo: TStaff;
let centre: TStaff;
let colleague: TSessionUser;
let offers: string[] = [];
const staff = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });
const authenticator = softAuthenticator();
const rp = () => relyingParty();

const kidneyCandidate = (cpra: number) => ({
  organ: "KIDNEY" as const,
  abo: "O" as const,
  hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
  unacceptable: [],
  cpra,
  listedAt: "2022-01-10",
  dialysisStartedAt: "2021-06-01",
  dateOfBirth: "1975-05-05",
  sex: "F" as const,
  heightCm: 168,
  weightKg: 70,
  priorLivingDonor: false,
  priorTransplants: 0,
  diabetes: false,
  urgency: { highUrgency: false },
});

beforeAll(async () => {
  iso = await createIsolatedDatabase("passkey");
  // The procedures use the one Prisma client: point it at this file's own schema.
  await disconnectPrisma();
  process.env.DATABASE_URL = iso.url;
  // Its own key folder too: an erasure elsewhere destroys the KEKs its own schema does not use.
  useOwnKeyFolder(iso.schema);
  resetEnvCache();
  // A wallet of its own (funded on the local anvil), so no other test's nonces interfere.
  const wallet = Wallet.createRandom(provider);
  await provider.send("anvil_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
  registry = await deployAnchorRegistry(wallet as unknown as Wallet);
  [opo, centre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
  colleague = { ...(await createColleague(centre)), organisationName: centre.org.name };
  const centreCaller = createCaller({ user: staff(centre) });
  for (let i = 0; i < 3; i++) await centreCaller.waitlist.add(kidneyCandidate(10 + i));
  const opoCaller = createCaller({ user: staff(opo) });
  const auth = await opoCaller.consent.recordFamilyAuthorisation({
    person: {
      fullName: "Never Registered Passkey",
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${Date.now()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  const opened = await opoCaller.donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: auth.receiptCode,
    donor: donorFacts,
    organs: [{ type: "KIDNEY", laterality: "LEFT" }],
  });
  const run = await opoCaller.matchRun.run({ organId: opened.organs[0]?.id as string });
  offers = (await opoCaller.offer.sendNext({ matchRunId: run.matchRunId })).offers;
}, 180_000);

afterAll(async () => {
  await disconnectPrisma();
  await iso.drop();
  provider.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (err: Error) => err.message,
  );

describe("passkeys sign the decisions that matter", () => {
  it("enrols a passkey as a ledger event carrying its public key; a registration challenge is good once", async () => {
    const caller = createCaller({ user: staff(centre) });
    const options = await caller.passkey.enrolmentOptions();
    expect(options.authenticatorSelection?.userVerification).toBe("required");
    const response = authenticator.register({ challenge: options.challenge, ...rp() });
    const { passkeyId } = await caller.passkey.enrol({ response });
    const event = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "passkey", subjectId: passkeyId },
    });
    expect(event).toMatchObject({ type: "passkey.enrolled", sequence: 1, actorUserId: centre.user.id });
    expect(event.payload).toMatchObject({
      passkeyId,
      userId: centre.user.id,
      credentialId: authenticator.id,
      publicKey: authenticator.publicKeyCose,
      algorithm: -7,
      rpId: rp().rpId,
      origin: rp().origin,
    });
    expect(await refusal(caller.passkey.enrol({ response }))).toMatch(/expired or was already used/);
    expect(await caller.passkey.mine()).toHaveLength(1);
  });

  it("a colleague without a passkey may still refuse an offer: the fallback is recorded with the decision", async () => {
    expect(offers.length).toBeGreaterThanOrEqual(2);
    const answer = await createCaller({ user: colleague }).offer.answer({
      offerId: offers[1] as string,
      answer: "REFUSE",
      reasonCode: "LOGISTICS",
    });
    expect(answer.signature).toMatchObject({ meaning: "OFFER_REFUSED", signWith: "none" });
    const signatures = await decisionSignatures([{ type: "offer", id: offers[1] as string }]);
    expect(signatures.get(answer.signature?.eventId as string)).toMatchObject({
      status: "NOT_SIGNED",
      reasonCode: "NO_PASSKEY",
      meaningLabel: "refused offer",
      signerName: colleague.name,
    });
  });

  it("accepts an offer and signs the answer's event hash; a replayed or misdirected assertion is refused", async () => {
    const caller = createCaller({ user: staff(centre) });
    const answer = await caller.offer.answer({ offerId: offers[0] as string, answer: "ACCEPT" });
    const request = answer.signature;
    expect(request).toMatchObject({ meaning: "OFFER_ACCEPTED", signWith: "passkey" });
    if (!request) throw new Error("no signature request");
    // Someone else cannot sign it, or even ask to.
    expect(
      await refusal(createCaller({ user: colleague }).passkey.signingOptions({ eventId: request.eventId })),
    ).toMatch(/no decision of yours/);
    const { options, meaning } = await caller.passkey.signingOptions({ eventId: request.eventId });
    expect(meaning).toBe("OFFER_ACCEPTED");
    expect(options.challenge).toBe(challengeForEventHash(request.eventHash));
    expect(options.userVerification).toBe("required");

    // An assertion over another hash is refused and nothing is written.
    const wrong = authenticator.authenticate({
      challenge: challengeForEventHash(`0x${"ab".repeat(32)}`),
      ...rp(),
    });
    expect(await refusal(caller.passkey.sign({ eventId: request.eventId, response: wrong }))).toMatch(
      /challenge/i,
    );

    const response = authenticator.authenticate({ challenge: options.challenge, ...rp() });
    const signed = await caller.passkey.sign({ eventId: request.eventId, response });
    expect(signed.meaning).toBe("OFFER_ACCEPTED");
    const stored = await prisma.passkey.findFirstOrThrow({ where: { userId: centre.user.id } });
    expect(Number(stored.counter)).toBe(authenticator.counter);

    expect(await refusal(caller.passkey.sign({ eventId: request.eventId, response }))).toMatch(
      /already signed/,
    );
    expect(await refusal(caller.passkey.decline({ eventId: request.eventId }))).toMatch(/already signed/);
    const signatures = await decisionSignatures([{ type: "offer", id: offers[0] as string }]);
    expect(signatures.get(request.eventId)).toMatchObject({
      status: "SIGNED",
      meaningLabel: "accepted offer",
      signerName: centre.user.name,
    });
  });

  describe("the offline verifier checks every passkey signature from the bundle and the chain alone", () => {
    let bundle: TAuditBundle;
    const verifyCli = (b: unknown) => {
      const file = path.join(dir, `b-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(b));
      const r = spawnSync(
        "node_modules/.bin/tsx",
        ["--import", "./scripts/server-only.mjs", "scripts/verify-bundle.ts", file, "--rpc", rpc],
        {
          encoding: "utf8",
        },
      );
      return { status: r.status, out: r.stdout + r.stderr };
    };

    beforeAll(async () => {
      await anchorEverything({ iso, registry });
      bundle = await exportAuditBundle({
        scope: {
          kind: "subjects",
          subjects: offers.slice(0, 2).map((id) => ({ subjectType: "offer", subjectId: id })),
        },
        chain: { chainId: "31337", contract: await registry.getAddress() },
        db: iso.db,
      });
    }, 60_000);

    it("carries the signer's enrolment and verifies", async () => {
      const types = bundle.events.map((e) => e.type);
      expect(types).toContain("passkey.enrolled");
      expect(types).toContain("signature.recorded");
      expect(types).toContain("signature.not_signed");
      const report = await verifyAuditBundle(bundle, registry);
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
      const cli = verifyCli(bundle);
      expect(cli.out).toContain("VERIFIED");
      expect(cli.status).toBe(0);
    }, 60_000);

    it("names the signature event when its signature was altered (and rehashed, as an insider would)", async () => {
      const forged = structuredClone(bundle);
      const sig = forged.events.find((e) => e.type === "signature.recorded");
      if (!sig) throw new Error("no signature in the bundle");
      const assertion = (sig.payload as { assertion: { signature: string } }).assertion;
      const bytes = Buffer.from(assertion.signature, "base64url");
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
      assertion.signature = bytes.toString("base64url");
      sig.hash = eventHash(sig);
      const report = await verifyAuditBundle(forged, registry);
      expect(report.ok).toBe(false);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          check: "passkey-signature",
          eventId: sig.id,
          subject: `offer:${offers[0]}`,
        }),
      );
      const cli = verifyCli(forged);
      expect(cli.status).not.toBe(0);
      expect(cli.out).toContain("passkey-signature");
      expect(cli.out).toContain(sig.id);
    }, 60_000);

    it("names a signature whose passkey enrolment is left out of the bundle", async () => {
      const partial = { ...bundle, events: bundle.events.filter((e) => e.type !== "passkey.enrolled") };
      const report = await verifyAuditBundle(partial, registry);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          check: "passkey-signature",
          message: expect.stringMatching(/no enrolment/),
        }),
      );
    });
  });

  it("the regulator's whole-ledger audit checks them too, and names a signature altered in the database", async () => {
    const clean = await auditWholeLedger({ registry, db: iso.db });
    expect(clean.findings.filter((f) => f.check === "passkey-signature")).toEqual([]);
    const sig = await iso.db.ledgerEvent.findFirstOrThrow({ where: { type: "signature.recorded" } });
    const assertion = (sig.payload as { assertion: { signature: string } }).assertion;
    const bytes = Buffer.from(assertion.signature, "base64url");
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    await iso.tamper(
      `UPDATE "LedgerEvent" SET payload = jsonb_set(payload, '{assertion,signature}', to_jsonb($2::text)) WHERE id = $1::uuid`,
      [sig.id, bytes.toString("base64url")],
    );
    const tampered = await auditWholeLedger({ registry, db: iso.db });
    expect(tampered.findings).toContainEqual(
      expect.objectContaining({
        check: "passkey-signature",
        eventId: sig.id,
        message: expect.stringMatching(/does not verify/),
      }),
    );
  }, 60_000);
});
