import { describe, expect, it } from "vitest";
import { signatureMeaningOf } from "./signature-meaning";

describe("signatureMeaningOf", () => {
  const cases: Array<{ desc: string; type: string; payload: unknown; want: string | null }> = [
    {
      desc: "first decision",
      type: "consent.recorded",
      payload: { kind: "FIRST_PERSON", version: 1 },
      want: "CONSENT_DECISION",
    },
    {
      desc: "changed decision",
      type: "consent.recorded",
      payload: { kind: "FIRST_PERSON", version: 3 },
      want: "CONSENT_CHANGED",
    },
    {
      desc: "family",
      type: "consent.recorded",
      payload: { kind: "FAMILY_AUTHORISATION", version: 1 },
      want: "FAMILY_AUTHORISED",
    },
    { desc: "revocation", type: "consent.revoked", payload: { version: 2 }, want: "CONSENT_REVOKED" },
    { desc: "acceptance", type: "offer.answered", payload: { answer: "ACCEPTED" }, want: "OFFER_ACCEPTED" },
    { desc: "refusal", type: "offer.answered", payload: { answer: "REFUSED" }, want: "OFFER_REFUSED" },
    {
      desc: "hand-off offered",
      type: "custody.recorded",
      payload: { kind: "HANDOFF_OFFERED" },
      want: "HANDOFF_OFFERED",
    },
    {
      desc: "hand-off accepted",
      type: "custody.recorded",
      payload: { kind: "HANDOFF_ACCEPTED" },
      want: "HANDOFF_ACCEPTED",
    },
    { desc: "discard", type: "custody.recorded", payload: { kind: "DISCARDED" }, want: "DISCARDED" },
    {
      desc: "a checkpoint is not a signed decision",
      type: "custody.recorded",
      payload: { kind: "CHECKPOINT" },
      want: null,
    },
    { desc: "an offer sent is not", type: "offer.sent", payload: {}, want: null },
  ];
  for (const c of cases) {
    it(c.desc, () => expect(signatureMeaningOf(c)).toBe(c.want));
  }
});
