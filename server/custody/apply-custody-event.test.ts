import { describe, expect, it } from "vitest";
import { applyCustodyEvent, initialCustodyState } from "./apply-custody-event";
import type { TCustodyEvent, TCustodyState } from "./custody-event-schema";
import { buildDonationIdentificationNumber } from "./donation-identification-number";

const opo = { userId: "u-opo", orgId: "org-opo" };
const opoColleague = { userId: "u-opo-2", orgId: "org-opo" };
const courier = { userId: "u-courier", orgId: "org-courier" };
const centre = { userId: "u-centre", orgId: "org-centre" };
const stranger = { userId: "u-x", orgId: "org-x" };
const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const now = new Date(T0 + 24 * 60 * 60_000);
const { din, checkCharacter } = buildDonationIdentificationNumber({
  facility: "W0000",
  year: 26,
  sequence: 1,
});
let n = 0;
const ev = (e: Record<string, unknown>) => ({ clientEventId: `c${n++}`, ...e }) as TCustodyEvent;

/** Applies steps in order, failing the test on the first refusal. */
function run(
  steps: TCustodyEvent[],
  start = initialCustodyState({ organType: "KIDNEY", donationType: "DBD" }),
): TCustodyState {
  return steps.reduce((s, e) => {
    const r = applyCustodyEvent(s, e, now);
    if (!r.ok) throw new Error(`${e.kind}: ${r.refusal.message}`);
    return r.state;
  }, start);
}

const journey = [
  ev({ kind: "CROSS_CLAMP", at: at(0), actor: opo }),
  ev({ kind: "RECOVERED", at: at(30), actor: opo }),
  ev({ kind: "PACKAGED", at: at(45), actor: opoColleague, din: din + checkCharacter, temperatureC: 4 }),
  ev({
    kind: "HANDOFF_OFFERED",
    at: at(50),
    actor: opo,
    to: { orgId: courier.orgId, userId: courier.userId },
  }),
  ev({ kind: "HANDOFF_ACCEPTED", at: at(52), actor: courier, location: { lat: 41.88, lon: -87.63 } }),
  ev({
    kind: "CHECKPOINT",
    at: at(120),
    actor: courier,
    location: { lat: 40.64, lon: -73.78 },
    temperatureC: 5,
  }),
  ev({ kind: "HANDOFF_OFFERED", at: at(180), actor: courier, to: { orgId: centre.orgId } }),
  ev({ kind: "HANDOFF_ACCEPTED", at: at(185), actor: centre }),
  ev({ kind: "ARRIVED", at: at(190), actor: centre }),
];

describe("applyCustodyEvent: a full journey", () => {
  it("tracks phase, custodian and cold ischemia to reperfusion", () => {
    const s = run([...journey, ev({ kind: "TRANSPLANTED", at: at(300), actor: centre })]);
    expect(s).toMatchObject({
      phase: "TRANSPLANTED",
      sequence: 10,
      custodian: centre,
      din: din + checkCharacter,
      coldIschemiaStartedAt: at(0),
      coldIschemiaEndedAt: at(300),
      lastTemperatureC: 5,
      pendingHandoff: null,
    });
  });
  it("records DCD warm ischemia at cross-clamp", () => {
    const s = run(
      [ev({ kind: "CROSS_CLAMP", at: at(0), actor: opo, warmIschemiaStartedAt: at(-25) })],
      initialCustodyState({ organType: "LIVER", donationType: "DCD" }),
    );
    expect(s.warmIschemiaMinutes).toBe(25);
    expect(s.warmIschemiaStartedAt).toBe(at(-25));
  });
  it("a declined hand-off returns to the phase before, custody unchanged", () => {
    const s = run([
      ...journey.slice(0, 4),
      ev({ kind: "HANDOFF_DECLINED", at: at(51), actor: courier, reason: "cooler damaged" }),
    ]);
    expect(s.phase).toBe("PACKAGED");
    expect(s.custodian).toEqual(opo);
  });
  it("a returned organ can be handed off again", () => {
    const s = run([
      ...journey,
      ev({ kind: "RETURNED", at: at(200), actor: centre, reason: "recipient unstable" }),
      ev({ kind: "HANDOFF_OFFERED", at: at(210), actor: centre, to: { orgId: courier.orgId } }),
    ]);
    expect(s.phase).toBe("HANDOFF_PENDING");
    expect(s.outcomeReason).toBe("recipient unstable");
  });
  it("warns, without refusing, on a cold-storage temperature excursion", () => {
    const s = run(journey.slice(0, 5));
    const r = applyCustodyEvent(
      s,
      ev({ kind: "CHECKPOINT", at: at(60), actor: courier, temperatureC: 14 }),
      now,
    );
    expect(r.ok && r.warnings).toEqual([expect.stringMatching(/outside cold storage range/)]);
  });
});

describe("applyCustodyEvent: refusals", () => {
  const inTransit = () => run(journey.slice(0, 5));
  const table: {
    desc: string;
    state: () => TCustodyState;
    event: TCustodyEvent;
    code: string;
    message: RegExp;
  }[] = [
    {
      desc: "recovery before cross-clamp",
      state: () => initialCustodyState({ organType: "KIDNEY", donationType: "DBD" }),
      event: ev({ kind: "RECOVERED", at: at(1), actor: opo }),
      code: "TRANSITION_NOT_ALLOWED",
      message: /recovered cannot be recorded while the organ is awaiting recovery/,
    },
    {
      desc: "arrival before departure",
      state: () => run(journey.slice(0, 3)),
      event: ev({ kind: "ARRIVED", at: at(60), actor: opo }),
      code: "TRANSITION_NOT_ALLOWED",
      message: /arrived cannot be recorded while the organ is packaged/,
    },
    {
      desc: "transplant of a discarded organ",
      state: () =>
        run([
          ...journey.slice(0, 2),
          ev({ kind: "DISCARDED", at: at(40), actor: opo, reason: "organ damaged" }),
        ]),
      event: ev({ kind: "TRANSPLANTED", at: at(60), actor: opo }),
      code: "TRANSITION_NOT_ALLOWED",
      message: /was discarded/,
    },
    {
      desc: "hand-off by someone not holding custody",
      state: () => run(journey.slice(0, 3)),
      event: ev({ kind: "HANDOFF_OFFERED", at: at(50), actor: stranger, to: { orgId: "org-x" } }),
      code: "NOT_CUSTODIAN",
      message: /do not hold this organ/,
    },
    {
      desc: "checkpoint by the previous holder",
      state: inTransit,
      event: ev({ kind: "CHECKPOINT", at: at(60), actor: opo }),
      code: "NOT_CUSTODIAN",
      message: /holding custody/,
    },
    {
      desc: "confirmation by someone other than the receiver",
      state: () => run(journey.slice(0, 4)),
      event: ev({ kind: "HANDOFF_ACCEPTED", at: at(51), actor: centre }),
      code: "NOT_RECEIVER",
      message: /handed to/,
    },
    {
      desc: "a time before the previous step",
      state: inTransit,
      event: ev({ kind: "CHECKPOINT", at: at(51), actor: courier }),
      code: "TIME_BEFORE_PREVIOUS",
      message: /before the previous step/,
    },
    {
      desc: "a time in the future beyond the skew",
      state: inTransit,
      event: ev({
        kind: "CHECKPOINT",
        at: new Date(now.getTime() + 3 * 60_000).toISOString(),
        actor: courier,
      }),
      code: "TIME_IN_FUTURE",
      message: /in the future/,
    },
    {
      desc: "a temperature out of plausible bounds",
      state: inTransit,
      event: ev({ kind: "CHECKPOINT", at: at(60), actor: courier, temperatureC: 39.5 + 20 }),
      code: "TEMPERATURE_IMPLAUSIBLE",
      message: /59.5 °C/,
    },
    {
      desc: "an invalid latitude",
      state: inTransit,
      event: ev({ kind: "CHECKPOINT", at: at(60), actor: courier, location: { lat: 123, lon: 0 } }),
      code: "LOCATION_IMPLAUSIBLE",
      message: /not a valid latitude/,
    },
    {
      desc: "a location too far for the time elapsed",
      state: inTransit,
      event: ev({ kind: "CHECKPOINT", at: at(62), actor: courier, location: { lat: 34.06, lon: -118.45 } }),
      code: "LOCATION_IMPLAUSIBLE",
      message: /cannot have moved/,
    },
    {
      desc: "an implausible perfusion pressure",
      state: inTransit,
      event: ev({
        kind: "CHECKPOINT",
        at: at(60),
        actor: courier,
        deviceReading: { deviceId: "LT-1", pressureMmHg: 400 },
      }),
      code: "DEVICE_READING_IMPLAUSIBLE",
      message: /400 mmHg/,
    },
    {
      desc: "a discard without a reason",
      state: inTransit,
      event: ev({ kind: "DISCARDED", at: at(60), actor: courier, reason: "  " }),
      code: "REASON_REQUIRED",
      message: /needs a reason/,
    },
    {
      desc: "a label with a wrong check character",
      state: () => run(journey.slice(0, 2)),
      event: ev({
        kind: "PACKAGED",
        at: at(45),
        actor: opo,
        din: `${din}${checkCharacter === "0" ? "1" : "0"}`,
      }),
      code: "INVALID_EVENT",
      message: /Check character/,
    },
    {
      desc: "a DCD cross-clamp without warm ischemia start",
      state: () => initialCustodyState({ organType: "LIVER", donationType: "DCD" }),
      event: ev({ kind: "CROSS_CLAMP", at: at(0), actor: opo }),
      code: "INVALID_EVENT",
      message: /warm ischemia/,
    },
    {
      desc: "a hand-off to oneself",
      state: () => run(journey.slice(0, 3)),
      event: ev({
        kind: "HANDOFF_OFFERED",
        at: at(50),
        actor: opo,
        to: { orgId: opo.orgId, userId: opo.userId },
      }),
      code: "INVALID_EVENT",
      message: /already hold/,
    },
  ];
  for (const t of table) {
    it(`refuses ${t.desc}`, () => {
      const r = applyCustodyEvent(t.state(), t.event, now);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.refusal.code).toBe(t.code);
        expect(r.refusal.message).toMatch(t.message);
      }
    });
  }
  it("accepts a step timed a little before the previous one (two people submitting together), keeping the journey's clock", () => {
    const s = inTransit();
    const last = Date.parse(s.lastEventAt as string);
    const r = applyCustodyEvent(
      s,
      ev({ kind: "CHECKPOINT", at: new Date(last - 20_000).toISOString(), actor: courier }),
      now,
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.state.lastEventAt).toBe(s.lastEventAt);
  });
  it("accepts a time within the clock-skew allowance", () => {
    const r = applyCustodyEvent(
      inTransit(),
      ev({ kind: "CHECKPOINT", at: new Date(now.getTime() + 60_000).toISOString(), actor: courier }),
      now,
    );
    expect(r.ok).toBe(true);
  });
});
