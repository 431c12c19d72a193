import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPrivateNotes } from "@/server/consent/private-note";
import { disconnectPrisma, prisma } from "@/server/db";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { verifyEvents } from "@/server/ledger/verify-events";
import { callerFor, refusal } from "@/test/factories/allocation-factory";
import { createStaff, createTravellingOrgan, type TStaff } from "@/test/factories/organ-factory";
import { recordCustodyEvent } from "./record-custody-event";

let opo: TStaff;
let centre: TStaff;
let courier: TStaff;
let otherCourier: TStaff;
let otherCentre: TStaff;

beforeAll(async () => {
  [opo, centre, courier, otherCourier, otherCentre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "COURIER_SERVICE" }),
    createStaff({ kind: "COURIER_SERVICE" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("a custody step's free text is off the ledger and erasable", () => {
  it("the ledger commits to the text; erasing it leaves the chain verifiable and the text unreadable", async () => {
    const organ = await createTravellingOrgan({ opo, centre, courier });
    const place = `Lay-by near ${randomUUID().slice(0, 8)}, met Mr Example`;
    const recorded = await recordCustodyEvent({
      organId: organ.id,
      clientEventId: randomUUID(),
      kind: "CHECKPOINT",
      reportedAt: new Date(),
      details: {
        location: { lat: 51.5, lon: -0.12, label: place },
        temperatureC: 4,
        deviceReading: { deviceId: "Box of Mr Example", temperatureC: 4.2 },
      },
      actor: courier.user,
    });
    const row = await prisma.custodyEvent.findUniqueOrThrow({ where: { id: recorded.event.id } });
    const event = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: row.ledgerEventId } });
    const payload = event.payload as { details: unknown; note: { id: string; commitment: string } };
    // Readings and coordinates on the ledger; the words only behind the commitment.
    expect(payload.details).toEqual({
      location: { lat: 51.5, lon: -0.12 },
      temperatureC: 4,
      deviceReading: { temperatureC: 4.2 },
    });
    expect(JSON.stringify(event.payload)).not.toContain("Example");
    expect(payload.note.commitment).toMatch(/^0x[0-9a-f]{64}$/);
    const before = await readPrivateNotes({ ids: [payload.note.id] });
    expect(JSON.parse(before.get(payload.note.id) as string)).toEqual({ place, device: "Box of Mr Example" });
    // The working row never holds the text (an overwrite would leave it in a dead row version);
    // the timeline opens it from the note, and offers its erasure to the courier who recorded it.
    expect(JSON.stringify(row.details)).not.toContain("Example");
    expect(row.noteId).toBe(payload.note.id);
    const shown = (await callerFor(courier).custody.timeline({ organId: organ.id })).events.find(
      (e) => e.id === row.id,
    );
    expect(shown).toMatchObject({
      details: {
        location: { lat: 51.5, lon: -0.12, label: place },
        deviceReading: { deviceId: "Box of Mr Example" },
      },
      mayEraseNote: true,
    });
    const asCentre = (await callerFor(centre).custody.timeline({ organId: organ.id })).events.find(
      (e) => e.id === row.id,
    );
    expect(asCentre?.mayEraseNote).toBe(false);

    // Another courier service, and a centre the organ is not going to, are told there is no such step.
    for (const stranger of [otherCourier, otherCentre])
      expect((await refusal(callerFor(stranger).custody.eraseNote({ custodyEventId: row.id }))).code).toBe(
        "NOT_FOUND",
      );
    expect(
      (await prisma.privateNote.findUniqueOrThrow({ where: { id: payload.note.id } })).ciphertext,
    ).not.toBeNull();
    await callerFor(courier).custody.eraseNote({ custodyEventId: row.id });
    // Once erased, there is nothing left to erase; the erasure is on the organ's chain.
    expect((await refusal(callerFor(opo).custody.eraseNote({ custodyEventId: row.id }))).code).toBe(
      "CONFLICT",
    );
    const erasedEvent = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "organ", subjectId: organ.id, type: "custody.note_erased" },
    });
    expect(erasedEvent).toMatchObject({
      payload: { custodyEventId: row.id, organId: organ.id, sequence: row.sequence },
      actorOrgId: courier.org.id,
    });

    expect((await readPrivateNotes({ ids: [payload.note.id] })).get(payload.note.id)).toBeNull();
    const note = await prisma.privateNote.findUniqueOrThrow({ where: { id: payload.note.id } });
    expect(note).toMatchObject({ ciphertext: null, wrappedKey: null, commitment: payload.note.commitment });
    const after = await prisma.custodyEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(JSON.stringify(after.details)).not.toContain("Example");
    expect(after.details).toMatchObject({ location: { lat: 51.5, lon: -0.12 }, temperatureC: 4 });
    const shownAfter = (await callerFor(courier).custody.timeline({ organId: organ.id })).events.find(
      (e) => e.id === row.id,
    );
    expect(JSON.stringify(shownAfter?.details)).not.toContain("Example");
    expect(shownAfter?.mayEraseNote).toBe(false);
    // The organ's chain is untouched and verifies.
    const { events, batches } = await readEventsWithProofs({ subjectType: "organ", subjectId: organ.id });
    expect(events.length).toBeGreaterThan(5);
    expect(verifyEvents({ events, batches, onChainRoots: new Map(), wholeSubjects: true }).findings).toEqual(
      [],
    );
  });
});
