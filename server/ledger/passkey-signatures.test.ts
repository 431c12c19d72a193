import { describe, expect, it } from "vitest";
import { softAuthenticator } from "@/test/factories/soft-authenticator";
import type { TFinding } from "./ledger-checks";
import {
  challengeForEventHash,
  checkPasskeySignatures,
  type TSignatureCheckedEvent,
  verifyPasskeyAssertion,
} from "./passkey-signatures";

const RP = { rpId: "portal.example", origin: "https://portal.example" };
const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const HASH_A = `0x${"ab".repeat(32)}`;
const HASH_B = `0x${"cd".repeat(32)}`;

type TAuth = ReturnType<typeof softAuthenticator>;

const decision = (o: {
  id: string;
  hash: string;
  userId: string;
  answer?: string;
}): TSignatureCheckedEvent => ({
  id: o.id,
  type: "offer.answered",
  subjectType: "offer",
  subjectId: "offer-1",
  sequence: 2,
  serverTime: "2026-12-02T10:00:01.000Z",
  actor: { userId: o.userId },
  payload: { offerId: "offer-1", organId: "organ-1", answer: o.answer ?? "ACCEPTED" },
  hash: o.hash,
});

const enrolment = (auth: TAuth, userId: string, passkeyId = "pk-1", time = "2026-12-02T09:00:00.000Z") => ({
  id: `enrol-${passkeyId}`,
  type: "passkey.enrolled",
  subjectType: "passkey",
  subjectId: passkeyId,
  sequence: 1,
  serverTime: time,
  actor: { userId },
  payload: { passkeyId, userId, credentialId: auth.id, publicKey: auth.publicKeyCose, algorithm: -7, ...RP },
  hash: `0x${"00".repeat(32)}`,
});

const signature = (o: {
  id: string;
  auth: TAuth;
  signedId: string;
  hash: string;
  signedHash?: string;
  userId: string;
  meaning?: string;
  origin?: string;
  time?: string;
}): TSignatureCheckedEvent => {
  const a = o.auth.authenticate({
    challenge: challengeForEventHash(o.signedHash ?? o.hash),
    origin: o.origin ?? RP.origin,
    rpId: RP.rpId,
  });
  return {
    id: o.id,
    type: "signature.recorded",
    subjectType: "offer",
    subjectId: "offer-1",
    sequence: 3,
    serverTime: o.time ?? "2026-12-02T10:00:02.000Z",
    actor: { userId: o.userId },
    payload: {
      signedEventId: o.signedId,
      signedEventHash: o.hash,
      meaning: o.meaning ?? "OFFER_ACCEPTED",
      passkeyId: "pk-1",
      credentialId: a.id,
      assertion: a.response,
    },
    hash: `0x${"11".repeat(32)}`,
  };
};

async function findings(events: TSignatureCheckedEvent[]) {
  const found: TFinding[] = [];
  await checkPasskeySignatures(events, (...f) => found.push(...f));
  return found;
}

describe("challengeForEventHash", () => {
  it("is the hash's 32 bytes in base64url", () => {
    expect(challengeForEventHash(`0x${"00".repeat(31)}ff`)).toBe(`${"A".repeat(41)}P8`);
    expect(() => challengeForEventHash("0x12")).toThrow(/64 hex/);
  });
});

describe("verifyPasskeyAssertion", () => {
  const auth = softAuthenticator();
  const base = (over: Partial<Parameters<typeof verifyPasskeyAssertion>[0]> = {}) => {
    const a = auth.authenticate({ challenge: challengeForEventHash(HASH_A), ...RP });
    return verifyPasskeyAssertion({
      eventHash: HASH_A,
      credentialId: a.id,
      assertion: a.response,
      publicKey: Buffer.from(auth.publicKeyCose, "base64url"),
      counter: 0,
      ...RP,
      ...over,
    });
  };
  it("accepts an assertion over the event's hash and returns the new counter", async () => {
    await expect(base()).resolves.toEqual({ ok: true, counter: auth.counter });
  });
  it("refuses an assertion over another event's hash", async () => {
    await expect(base({ eventHash: HASH_B })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/challenge/i),
    });
  });
  it("refuses another origin and another RP id", async () => {
    await expect(base({ origin: "https://evil.example" })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/origin/i),
    });
    await expect(base({ rpId: "evil.example" })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/RP ID/i),
    });
  });
  it("refuses a counter that does not go up (replay)", async () => {
    await expect(base({ counter: 1_000 })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/counter/i),
    });
  });
  it("refuses another key", async () => {
    const other = softAuthenticator();
    await expect(base({ publicKey: Buffer.from(other.publicKeyCose, "base64url") })).resolves.toMatchObject({
      ok: false,
    });
  });
  it("refuses an assertion without user verification", async () => {
    const presentOnly = softAuthenticator({ userVerification: false });
    const a = presentOnly.authenticate({ challenge: challengeForEventHash(HASH_A), ...RP });
    const verdict = await verifyPasskeyAssertion({
      eventHash: HASH_A,
      credentialId: a.id,
      assertion: a.response,
      publicKey: Buffer.from(presentOnly.publicKeyCose, "base64url"),
      counter: 0,
      ...RP,
    });
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/verif/i) });
  });
});

describe("checkPasskeySignatures", () => {
  it("finds nothing for a decision signed by its maker's enrolled passkey", async () => {
    const auth = softAuthenticator();
    const events = [
      enrolment(auth, ALICE),
      decision({ id: "d1", hash: HASH_A, userId: ALICE }),
      signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
    ];
    expect(await findings(events)).toEqual([]);
  });

  const cases: Array<{ desc: string; build: (auth: TAuth) => TSignatureCheckedEvent[]; want: RegExp }> = [
    {
      desc: "the signature's bytes changed",
      build: (auth) => {
        const s = signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE });
        const p = s.payload as { assertion: { signature: string } };
        const bytes = Buffer.from(p.assertion.signature, "base64url");
        bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
        p.assertion.signature = bytes.toString("base64url");
        return [enrolment(auth, ALICE), decision({ id: "d1", hash: HASH_A, userId: ALICE }), s];
      },
      want: /does not verify/,
    },
    {
      desc: "signed another event's hash",
      build: (auth) => [
        enrolment(auth, ALICE),
        decision({ id: "d1", hash: HASH_A, userId: ALICE }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, signedHash: HASH_B, userId: ALICE }),
      ],
      want: /does not verify.*challenge/i,
    },
    {
      desc: "the decision was changed after signing (its hash differs)",
      build: (auth) => [
        enrolment(auth, ALICE),
        decision({ id: "d1", hash: HASH_B, userId: ALICE }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /names hash .* but decision d1 has/,
    },
    {
      desc: "a meaning the decision does not have",
      build: (auth) => [
        enrolment(auth, ALICE),
        decision({ id: "d1", hash: HASH_A, userId: ALICE, answer: "REFUSED" }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /claims "OFFER_ACCEPTED" but .* means "OFFER_REFUSED"/,
    },
    {
      desc: "someone else's passkey",
      build: (auth) => [
        enrolment(auth, BOB),
        decision({ id: "d1", hash: HASH_A, userId: ALICE }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /belongs to user 2222/,
    },
    {
      desc: "no enrolment in the bundle",
      build: (auth) => [
        decision({ id: "d1", hash: HASH_A, userId: ALICE }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /no enrolment/,
    },
    {
      desc: "enrolled after it signed",
      build: (auth) => [
        enrolment(auth, ALICE, "pk-1", "2026-12-02T11:00:00.000Z"),
        decision({ id: "d1", hash: HASH_A, userId: ALICE }),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /enrolled after/,
    },
    {
      desc: "signed on another origin",
      build: (auth) => [
        enrolment(auth, ALICE),
        decision({ id: "d1", hash: HASH_A, userId: ALICE }),
        signature({
          id: "s1",
          auth,
          signedId: "d1",
          hash: HASH_A,
          userId: ALICE,
          origin: "https://evil.example",
        }),
      ],
      want: /origin/i,
    },
    {
      desc: "the decision is missing",
      build: (auth) => [
        enrolment(auth, ALICE),
        signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE }),
      ],
      want: /not on this subject/,
    },
    {
      desc: "a second signature record for one decision (a replay)",
      build: (auth) => {
        const s = signature({ id: "s1", auth, signedId: "d1", hash: HASH_A, userId: ALICE });
        return [
          enrolment(auth, ALICE),
          decision({ id: "d1", hash: HASH_A, userId: ALICE }),
          s,
          { ...s, id: "s2", sequence: 4, serverTime: "2026-12-02T10:00:03.000Z" },
        ];
      },
      want: /already has a signature record \(s1\)/,
    },
  ];
  for (const c of cases) {
    it(`names the signature event when ${c.desc}`, async () => {
      const found = await findings(c.build(softAuthenticator()));
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]).toMatchObject({ check: "passkey-signature", subject: "offer:offer-1" });
      expect(found[0]?.eventId).toMatch(/^s[12]$/);
      expect(found.map((f) => f.message).join("\n")).toMatch(c.want);
    });
  }

  it("checks a fallback record's decision, hash and meaning", async () => {
    const fallback = (meaning: string): TSignatureCheckedEvent => ({
      ...decision({ id: "n1", hash: `0x${"22".repeat(32)}`, userId: ALICE }),
      type: "signature.not_signed",
      sequence: 3,
      payload: { signedEventId: "d1", signedEventHash: HASH_A, meaning, reasonCode: "NO_PASSKEY" },
    });
    expect(
      await findings([decision({ id: "d1", hash: HASH_A, userId: ALICE }), fallback("OFFER_ACCEPTED")]),
    ).toEqual([]);
    expect(
      (await findings([decision({ id: "d1", hash: HASH_A, userId: ALICE }), fallback("DISCARDED")]))[0]
        ?.message,
    ).toMatch(/claims "DISCARDED"/);
  });
});
