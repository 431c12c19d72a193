import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { kekFolder } from "@/server/crypto/kek-store";
import { parseKeyRing, type TKeyRing } from "@/server/crypto/key-ring";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { allOpen, openKeyedRecords, writeKeyedRecords } from "@/test/factories/keyed-records";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { keyLockQueued } from "@/test/setup/key-lock-queue";
import { lockDataKeysShared } from "./key-lock";
import { readPrivateNotes, recordPrivateNote } from "./private-note";
import { rotateDataKeys } from "./rotate-keys";

const none = {
  "Donor.wrappedKey": 0,
  "ConsentVersion.wrappedKey": 0,
  "PrivateNote.wrappedKey": 0,
  "Candidate.wrappedKey": 0,
};

describe("master key rotation with a key folder", () => {
  it("seals the KEKs anew, re-wraps keys still under a master key, recomputes blind indexes; all opens without the old key", async () => {
    // Its own schema and key folder: rotating the shared ones would re-key other files' records.
    const iso = await createIsolatedDatabase("rotkek");
    const dir = mkdtempSync(path.join(tmpdir(), "rotkek-"));
    const withFolder = (masters: TKeyRing) => {
      const folder = kekFolder({ dir, ring: masters });
      return { ring: { ...masters, kek: folder }, folder };
    };
    try {
      const oldKeys = testKeyRingSource("old");
      const newKeys = testKeyRingSource("new");
      // Written before key folders existed (data keys under the master key), and since.
      const legacy = await writeKeyedRecords(iso.db, parseKeyRing(oldKeys));
      const current = await writeKeyedRecords(iso.db, withFolder(parseKeyRing(oldKeys)).ring);

      const rotating = withFolder(parseKeyRing(`${newKeys},${oldKeys}`));
      expect(await rotateDataKeys({ ...rotating, db: iso.db })).toEqual({
        rewrapped: { ...none, "Donor.wrappedKey": 1, "PrivateNote.wrappedKey": 1, "Candidate.wrappedKey": 1 },
        blindIndexes: 2,
      });
      expect(await rotateDataKeys({ ...rotating, db: iso.db })).toEqual({ rewrapped: none, blindIndexes: 0 });

      const after = withFolder(parseKeyRing(newKeys)).ring; // the old key is gone
      expect(await openKeyedRecords(iso.db, after, legacy)).toEqual(allOpen(legacy));
      expect(await openKeyedRecords(iso.db, after, current)).toEqual(allOpen(current));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await iso.drop();
    }
  });
});

describe("master key rotation and writers", () => {
  it("waits for a write in flight (it holds the data-key lock shared) and then re-wraps its key too", async () => {
    const iso = await createIsolatedDatabase("rotlock");
    const owner = new pg.Client({ connectionString: parseDatabaseUrl(iso.url).connectionString });
    await owner.connect();
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    try {
      const oldKeys = testKeyRingSource("old");
      const newKeys = testKeyRingSource("new");
      const before = parseKeyRing(oldKeys);
      // A writer that wrapped a note's key under the old master key and has not committed yet.
      let noteId = "";
      const writer = iso.db.$transaction(
        async (tx) => {
          await lockDataKeysShared(tx);
          noteId = (await recordPrivateNote({ tx, text: "Met the courier at gate 4", ring: before })).id;
          await gate;
        },
        { timeout: 60_000 },
      );
      for (let i = 0; i < 200 && !noteId; i++) await new Promise((r) => setTimeout(r, 25));
      expect(noteId).not.toBe("");

      let settled = false;
      const rotation = rotateDataKeys({ ring: parseKeyRing(`${newKeys},${oldKeys}`), db: iso.db }).finally(
        () => {
          settled = true;
        },
      );
      // The rotation queues for the lock (exclusive, behind the writer's shared hold)…
      const queued = await keyLockQueued(owner, "ExclusiveLock", () => settled);
      expect(queued).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      // …and has re-wrapped nothing yet.
      expect(settled).toBe(false);

      release();
      await writer;
      expect((await rotation).rewrapped["PrivateNote.wrappedKey"]).toBe(1);
      const notes = await readPrivateNotes({ ids: [noteId], ring: parseKeyRing(newKeys), db: iso.db });
      expect(notes.get(noteId)).toBe("Met the courier at gate 4");
    } finally {
      release();
      await owner.end();
      await iso.drop();
    }
  }, 60_000);
});
