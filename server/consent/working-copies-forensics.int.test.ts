import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataKekFolder, dataKeyRing } from "@/server/crypto/data-key-ring";
import { prisma } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { callerFor, kidneyWithCandidates, openDonorCase } from "@/test/factories/allocation-factory";
import { createStaff, createTravellingOrgan, type TStaff } from "@/test/factories/organ-factory";
import { asSuperuser, currentWalLsn, readAllPages, readWalSince } from "@/test/setup/forensics";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";
import { WRAPPED_KEY_COLUMNS } from "./key-lock";
import { readPrivateNotes, recordPrivateNote } from "./private-note";

/**
 * Free text that staff type (a refusal's note, an out-of-sequence reason, a custody step's place and
 * device, a case's closing note, a candidate's status reason) and a candidate's clinical detail
 * must never be written in plain text to a table: PostgreSQL keeps an overwritten row version
 * until vacuum (and in the WAL), so clearing it on erasure would not erase it. This test types
 * unique words into each, erases through the procedures, then reads every heap page of every table
 * (dead row versions included) and the WAL as a superuser: none of the words is there. It also
 * checks that each erasure rotated the key-encryption key and re-wrapped every stored key, a
 * `wk1` one (wrapped by a master key before KEKs existed) included, so no row is left under a KEK
 * that erasure destroyed.
 */
let iso: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;
let opo: TStaff;
let centre: TStaff;
let courier: TStaff;

beforeAll(async () => {
  iso = await usePortalOnIsolatedDatabase("forensic_text");
  [opo, centre, courier] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "COURIER_SERVICE" }),
  ]);
}, 120_000);
afterAll(async () => {
  await iso?.drop();
});

const marker = (what: string) => `${what} Forensic${randomBytes(6).toString("hex")}`;

/** Every stored wrapped key's prefix and KEK id, over every table that holds one. */
async function wrappedKeyIds(): Promise<string[]> {
  const out: string[] = [];
  for (const { table, column } of WRAPPED_KEY_COLUMNS) {
    const rows = await prisma.$queryRawUnsafe<Array<{ k: string }>>(
      `SELECT DISTINCT split_part("${column}", '.', 1) || '.' || split_part("${column}", '.', 2) AS k
         FROM "${table}" WHERE "${column}" IS NOT NULL`,
    );
    out.push(...rows.map((r) => `${table}:${r.k}`));
  }
  return out;
}

describe("free text and clinical detail never reach a table in plain text", () => {
  it("every column holding a wrapped key is one the KEK rotation re-wraps", async () => {
    const columns = await prisma.$queryRaw<Array<{ table_name: string; column_name: string }>>`
      SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = ${iso.schema} AND column_name ILIKE '%wrapped%'`;
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(
      WRAPPED_KEY_COLUMNS.map((c) => `${c.table}.${c.column}`).sort(),
    );
  });

  it("after erasure, no heap page and no WAL record holds the words; every key is under the new KEK", {
    timeout: 240_000,
  }, async () => {
    const owner = parseDatabaseUrl(process.env.DATABASE_URL ?? "");
    const startLsn = await asSuperuser(owner.connectionString, currentWalLsn);
    const folder = dataKekFolder();
    expect(folder, "the integration run has a key folder").not.toBeNull();

    // A note wrapped by a master key, as written before key-encryption keys existed (`wk1`).
    const { kek: _kek, ...masters } = dataKeyRing();
    const legacy = await prisma.$transaction((tx) =>
      recordPrivateNote({ tx, text: "written before KEKs", ring: masters }),
    );
    expect((await prisma.privateNote.findUniqueOrThrow({ where: { id: legacy.id } })).wrappedKey).toMatch(
      /^wk1\./,
    );
    const keksBefore = folder?.ids() ?? [];

    const words = {
      bypass: marker("Bypassed for Mr"),
      refusal: marker("Refused as Ms"),
      status: marker("Moved in with"),
      place: marker("Lay-by met"),
      device: marker("Box of"),
      closing: marker("Family told by Dr"),
    };
    const staff = { opo, centre };

    // Offers: an out-of-sequence reason, then a refusal's note.
    const { run, candidateIds } = await kidneyWithCandidates(staff, 3);
    const detail = await callerFor(opo).matchRun.get({ matchRunId: run.matchRunId });
    const third = detail.ranked[2]?.candidateId as string;
    const sent = await callerFor(opo).offer.sendOutOfOrder({
      matchRunId: run.matchRunId,
      candidateId: third,
      reason: words.bypass,
    });
    await callerFor(centre).offer.answer({
      offerId: sent.offerId,
      answer: "REFUSE",
      reasonCode: "OTHER",
      note: words.refusal,
    });

    // A candidate's clinical detail and status reason, then their erasure.
    const listed = candidateIds[0] as string;
    await callerFor(centre).waitlist.setStatus({
      candidateId: listed,
      status: "REMOVED",
      reason: words.status,
    });
    expect((await callerFor(centre).waitlist.history({ id: listed }))[0]?.reason).toBe(words.status);
    const row = await prisma.candidate.findUniqueOrThrow({ where: { id: listed } });
    expect(row).toMatchObject({ dateOfBirth: null, heightCm: null, hla: {}, urgency: {} });

    // A custody step's place and device.
    const organ = await createTravellingOrgan({ opo, centre, courier });
    const step = await callerFor(courier).custody.recordEvent({
      organId: organ.id,
      clientEventId: randomUUID(),
      kind: "CHECKPOINT",
      reportedAt: new Date(),
      details: {
        location: { lat: 51.5, lon: -0.12, label: words.place },
        temperatureC: 4,
        deviceReading: { deviceId: words.device, temperatureC: 4.1 },
      },
    });

    // A case closed with a note.
    const closing = await openDonorCase(opo);
    await callerFor(opo).donorCase.close({
      donorCaseId: closing.donorCaseId,
      reasonCode: "OTHER",
      note: words.closing,
    });
    const closed = await prisma.donorCase.findUniqueOrThrow({ where: { id: closing.donorCaseId } });
    expect(closed.closedNote).toBeNull();
    expect(
      (await readPrivateNotes({ ids: [closed.closedNoteId as string] })).get(closed.closedNoteId as string),
    ).toBe(words.closing);

    // The erasures, through the procedures, each rotating the KEK.
    await callerFor(opo).offer.eraseNotes({ offerId: sent.offerId });
    await callerFor(centre).waitlist.erase({
      candidateId: listed,
      reasonCode: "RECIPIENT_REQUEST",
      confirm: "ERASE",
    });
    await callerFor(courier).custody.eraseNote({ custodyEventId: step.event.id });
    expect((await callerFor(centre).waitlist.history({ id: listed }))[0]?.reason).toBe("(erased)");

    // No row is wrapped under any KEK but the current one, and the ones before are destroyed.
    const active = folder?.active().id as string;
    expect(keksBefore).not.toContain(active);
    for (const id of keksBefore) expect(folder?.get(id), `KEK ${id} destroyed`).toBeUndefined();
    const ids = await wrappedKeyIds();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((k) => !k.endsWith(`:wk2.${active}`))).toEqual([]);
    // The re-wrap kept what was not erased readable, the `wk1` note included.
    expect((await readPrivateNotes({ ids: [legacy.id] })).get(legacy.id)).toBe("written before KEKs");
    expect(
      (await readPrivateNotes({ ids: [closed.closedNoteId as string] })).get(closed.closedNoteId as string),
    ).toBe(words.closing);

    // A superuser's read of every page (dead row versions included) and of the WAL since the start.
    const { pages, wal } = await asSuperuser(owner.connectionString, async (c) => ({
      pages: await readAllPages(c, iso.schema),
      wal: await readWalSince(c, startLsn),
    }));
    const pageText = pages.map((b) => b.toString("latin1")).join("\n");
    const walText = wal.map((b) => b.toString("latin1")).join("\n");
    // The scan sees plain columns (it would see the words if they were there).
    expect(pageText).toContain(organ.din);
    expect(walText).toContain(organ.din);
    for (const [what, text] of Object.entries(words)) {
      const unique = text.split(" ").at(-1) as string;
      expect(pageText.includes(unique), `${what} in a heap page`).toBe(false);
      expect(walText.includes(unique), `${what} in the WAL`).toBe(false);
    }
  });
});
