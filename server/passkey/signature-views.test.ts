import { describe, expect, it } from "vitest";
import { describeSignature, signatureViews } from "./signature-views";

const decision = {
  id: "d1",
  type: "offer.answered",
  payload: { answer: "ACCEPTED" },
  serverTime: "2026-12-02T10:00:00.000Z",
  actor: { userId: "u1" },
};
const record = (type: string, extra: object = {}) => ({
  id: "s1",
  type,
  payload: { signedEventId: "d1", meaning: "OFFER_ACCEPTED", ...extra },
  serverTime: "2026-12-02T10:00:05.000Z",
  actor: { userId: "u1" },
});
const nameOf = (id: string) => (id === "u1" ? "Chen Li" : null);

describe("signatureViews", () => {
  it("shows the signer's name, the time and the meaning of a passkey signature", () => {
    const view = signatureViews({
      events: [decision, record("signature.recorded")],
      nameOf,
      invalid: new Set(),
      checked: true,
    });
    const s = view(decision);
    expect(s).toMatchObject({
      status: "SIGNED",
      meaning: "accepted offer",
      signerName: "Chen Li",
      valid: true,
    });
    expect(describeSignature(s as never)).toBe(
      "Signed with a passkey by Chen Li, 2026-12-02 10:00:05 UTC: accepted offer",
    );
  });
  it("says when a signature does not verify", () => {
    const s = signatureViews({
      events: [decision, record("signature.recorded")],
      nameOf,
      invalid: new Set(["s1"]),
      checked: true,
    })(decision);
    expect(describeSignature(s as never)).toMatch(/DOES NOT VERIFY/);
  });
  it("shows the fallback with its reason", () => {
    const s = signatureViews({
      events: [decision, record("signature.not_signed", { reasonCode: "NO_PASSKEY" })],
      nameOf,
      invalid: new Set(),
      checked: true,
    })(decision);
    expect(describeSignature(s as never)).toBe(
      "Not signed with a passkey (no passkey enrolled): accepted offer by Chen Li, 2026-12-02 10:00:05 UTC",
    );
  });
  it("a decision with no record yet is awaiting; an event that is no decision has no signature", () => {
    const view = signatureViews({ events: [decision], nameOf, invalid: new Set(), checked: true });
    expect(view(decision)?.status).toBe("AWAITING");
    expect(view({ ...decision, type: "offer.sent" })).toBeNull();
  });
  it("a decision the portal recorded itself (no person: demo data) awaits no one's signature", () => {
    const view = signatureViews({ events: [], nameOf, invalid: new Set(), checked: true });
    expect(view({ ...decision, actor: { userId: null } })).toBeNull();
  });
});
