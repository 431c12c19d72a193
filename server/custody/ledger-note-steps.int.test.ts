import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import { callerFor, refusal } from "@/test/factories/allocation-factory";
import { createStaff, createTravellingOrgan, type TStaff } from "@/test/factories/organ-factory";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";
import { recordCustodyEvent } from "./record-custody-event";

// Its own schema: the test rewrites one event into the shape an older portal wrote, which would
// be a finding for any other file auditing the whole shared ledger.
let db: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;
let opo: TStaff;
let centre: TStaff;
let courier: TStaff;

beforeAll(async () => {
  db = await usePortalOnIsolatedDatabase("v1notes");
  [opo, centre, courier] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "COURIER_SERVICE" }),
  ]);
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe("custody steps whose note is in the ledger (payload version 1)", () => {
  it("are not offered for erasure, the timeline says why, and an erasure is refused by name", async () => {
    const organ = await createTravellingOrgan({ opo, centre, courier });
    const place = `Lay-by near ${randomUUID().slice(0, 8)}`;
    const recorded = await recordCustodyEvent({
      organId: organ.id,
      clientEventId: randomUUID(),
      kind: "CHECKPOINT",
      reportedAt: new Date(),
      details: { location: { lat: 51.5, lon: -0.12, label: place }, temperatureC: 4 },
      actor: courier.user,
    });
    // A step of version 2 beside it: its note stays erasable.
    const current = await recordCustodyEvent({
      organId: organ.id,
      clientEventId: randomUUID(),
      kind: "CHECKPOINT",
      reportedAt: new Date(),
      details: { location: { lat: 51.5001, lon: -0.12, label: "Services" }, temperatureC: 4 },
      actor: courier.user,
    });
    // As an older portal recorded the first: the text in the event's payload and the working row.
    const row = await prisma.custodyEvent.findUniqueOrThrow({ where: { id: recorded.event.id } });
    const event = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: row.ledgerEventId } });
    const { note: _note, ...payload } = event.payload as Record<string, unknown>;
    const details = { location: { lat: 51.5, lon: -0.12, label: place }, temperatureC: 4 };
    await db.tamper(`UPDATE "LedgerEvent" SET "schemaVersion" = 1, payload = $2 WHERE id = $1`, [
      event.id,
      JSON.stringify({ ...payload, details }),
    ]);
    await db.tamper(`UPDATE "CustodyEvent" SET "noteId" = NULL, details = $2 WHERE id = $1`, [
      row.id,
      JSON.stringify(details),
    ]);

    for (const who of [courier, opo]) {
      const events = (await callerFor(who).custody.timeline({ organId: organ.id })).events;
      const old = events.find((e) => e.id === row.id);
      expect(old).toMatchObject({
        details: { location: { label: place } },
        mayEraseNote: false,
        noteOnLedger: true,
      });
      expect(events.find((e) => e.id === current.event.id)).toMatchObject({
        mayEraseNote: true,
        noteOnLedger: false,
      });
    }
    // Someone who may erase nothing here is not told about it either.
    const asCentre = (await callerFor(centre).custody.timeline({ organId: organ.id })).events;
    expect(asCentre.find((e) => e.id === row.id)).toMatchObject({ mayEraseNote: false, noteOnLedger: false });

    const refused = await refusal(callerFor(courier).custody.eraseNote({ custodyEventId: row.id }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("permanent ledger");
    expect(await prisma.ledgerEvent.count({ where: { type: "custody.note_erased" } })).toBe(0);
  });
});
