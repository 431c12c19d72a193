import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import {
  applyConsentEvent,
  EMPTY_CONSENT_HISTORY,
  recordConsentVersion,
  replayConsentHistory,
  revokeConsent,
  type TConsentEvent,
  type TConsentHistory,
} from "./consent-history";
import { type TConsentDecisionInput, ZConsentDecisionSchema } from "./decision-schema";

const d = (input: TConsentDecisionInput) => ZConsentDecisionSchema.parse(input);
const all = d({ kind: "FIRST_PERSON", decision: "DONATE_ALL", purposes: ["TRANSPLANT"] });
const objection = d({ kind: "FIRST_PERSON", decision: "OBJECTION" });
const family = d({
  kind: "FAMILY_AUTHORISATION",
  decision: "DONATE_ALL",
  purposes: ["TRANSPLANT"],
  authorisedBy: { name: "G", relationship: "SPOUSE", witness: "W" },
});
const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

function record(history: TConsentHistory, decision = all, minute = history.versions.length): TConsentHistory {
  const event = recordConsentVersion({
    history,
    decision,
    receiptCode: "0000000000",
    at: t(minute),
    by: "donor-1",
  });
  return applyConsentEvent(history, event);
}

describe("consent history", () => {
  it("starts empty", () => {
    expect(replayConsentHistory([])).toEqual(EMPTY_CONSENT_HISTORY);
  });

  it("keeps every version and marks the latest in force", () => {
    const h = record(record(EMPTY_CONSENT_HISTORY), objection);
    expect(h.state).toBe("IN_FORCE");
    expect(h.current?.version).toBe(2);
    expect(h.current?.decision.decision).toBe("OBJECTION");
    expect(h.versions.map((v) => [v.version, v.status, v.endedAt])).toEqual([
      [1, "SUPERSEDED", t(1)],
      [2, "IN_FORCE", undefined],
    ]);
  });

  it("revokes the version in force and allows a new decision afterwards", () => {
    const h1 = record(EMPTY_CONSENT_HISTORY);
    const revoked = applyConsentEvent(h1, revokeConsent({ history: h1, at: t(5), by: "donor-1" }));
    expect(revoked.state).toBe("REVOKED");
    expect(revoked.current).toBeNull();
    expect(revoked.versions[0]).toMatchObject({ status: "REVOKED", endedAt: t(5) });

    const again = record(revoked, objection, 6);
    expect(again.state).toBe("IN_FORCE");
    expect(again.versions.map((v) => v.status)).toEqual(["REVOKED", "IN_FORCE"]);
  });

  it("refuses to revoke when nothing is in force", () => {
    expect(() => revokeConsent({ history: EMPTY_CONSENT_HISTORY, at: t(0), by: "x" })).toThrow(
      /no consent in force/,
    );
  });

  it("refuses a family authorisation over a first-person decision, but not the reverse", () => {
    expect(() => record(record(EMPTY_CONSENT_HISTORY, objection), family)).toThrow(AppError);
    const h = record(record(EMPTY_CONSENT_HISTORY, family), all);
    expect(h.current?.decision.kind).toBe("FIRST_PERSON");
  });

  it("allows a family authorisation after the donor revoked", () => {
    const h1 = record(EMPTY_CONSENT_HISTORY);
    const revoked = applyConsentEvent(h1, revokeConsent({ history: h1, at: t(2), by: "donor-1" }));
    expect(record(revoked, family, 3).current?.decision.kind).toBe("FAMILY_AUTHORISATION");
  });

  it.each<{ desc: string; events: TConsentEvent[]; wantErr: RegExp }>([
    {
      desc: "a gap in version numbers",
      events: [{ type: "CONSENT_RECORDED", version: 2, decision: all, receiptCode: "", at: t(0), by: "x" }],
      wantErr: /expected consent version 1/,
    },
    {
      desc: "events out of time order",
      events: [
        { type: "CONSENT_RECORDED", version: 1, decision: all, receiptCode: "", at: t(5), by: "x" },
        { type: "CONSENT_RECORDED", version: 2, decision: all, receiptCode: "", at: t(4), by: "x" },
      ],
      wantErr: /time order/,
    },
    {
      desc: "revoking a superseded version",
      events: [
        { type: "CONSENT_RECORDED", version: 1, decision: all, receiptCode: "", at: t(0), by: "x" },
        { type: "CONSENT_RECORDED", version: 2, decision: all, receiptCode: "", at: t(1), by: "x" },
        { type: "CONSENT_REVOKED", version: 1, at: t(2), by: "x" },
      ],
      wantErr: /not the one in force/,
    },
  ])("refuses $desc on replay", ({ events, wantErr }) => {
    expect(() => replayConsentHistory(events)).toThrow(wantErr);
  });
});
