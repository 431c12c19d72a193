import { describe, expect, it } from "vitest";
import { eventHash } from "./hash";
import { rememberedEventHashes } from "./remembered-hashes";

const event = (payload: unknown) => ({
  id: "e1",
  salt: "0x01",
  subjectType: "organ",
  subjectId: "o1",
  sequence: 3,
  type: "custody.recorded",
  schemaVersion: 2,
  actor: { userId: "u1", role: "COURIER", orgId: "c1" },
  serverTime: "2026-12-03T07:00:00.000Z",
  reportedTime: null,
  payload,
  prevHash: "0xab",
});

describe("remembered content hashes", () => {
  it("answer as eventHash does, and an edit made under the same id is hashed again, not remembered", () => {
    const honest = event({ kind: "CHECKPOINT", temperatureC: 4 });
    const first = rememberedEventHashes([honest]).get("e1");
    expect(first).toBe(eventHash(honest));
    expect(rememberedEventHashes([honest]).get("e1")).toBe(first);
    // An insider's UPDATE of the payload, the stored hash left as it was.
    const edited = event({ kind: "CHECKPOINT", temperatureC: 40 });
    const after = rememberedEventHashes([edited]).get("e1");
    expect(after).toBe(eventHash(edited));
    expect(after).not.toBe(first);
    // The same content with its keys in another order is the same canonical content.
    expect(rememberedEventHashes([event({ temperatureC: 4, kind: "CHECKPOINT" })]).get("e1")).toBe(first);
  });
});
