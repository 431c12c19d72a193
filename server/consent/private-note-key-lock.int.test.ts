import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, withTransaction } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";
import { keyLockQueued } from "@/test/setup/key-lock-queue";
import { eraseAndRotate } from "./erase-and-rotate";
import { readPrivateNotes, recordPrivateNote } from "./private-note";

// Its own schema and key folder: the erasure here rotates the KEK and destroys the old one.
let db: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;

beforeAll(async () => {
  db = await usePortalOnIsolatedDatabase("notelock");
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe("reading notes while an erasure rotates the key-encryption key", () => {
  it("a read waits for the erasure (it takes the data-key lock shared) and then opens the note under the new KEK", async () => {
    const note = await withTransaction((tx) => recordPrivateNote({ tx, text: "Met the courier at gate 4" }));
    const before = await prisma.privateNote.findUniqueOrThrow({ where: { id: note.id } });

    // An erasure (of nothing here) holding the data-key lock exclusively until released.
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    const erasure = eraseAndRotate(async () => {
      holding = true;
      await gate;
    });
    const owner = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
    await owner.connect();
    try {
      for (let i = 0; i < 200 && !holding; i++) await new Promise((r) => setTimeout(r, 25));
      expect(holding).toBe(true);

      let settled = false;
      const reading = readPrivateNotes({ ids: [note.id] }).finally(() => {
        settled = true;
      });
      // The read queues for the lock (shared behind the erasure's exclusive hold)…
      const queued = await keyLockQueued(owner, "ShareLock", () => settled);
      expect(queued).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      // …and has not read a key the erasure is about to re-wrap and destroy.
      expect(settled).toBe(false);

      release();
      await erasure;
      expect((await reading).get(note.id)).toBe("Met the courier at gate 4");
    } finally {
      release();
      await owner.end();
    }
    // The erasure did rotate: the note's key is wrapped anew, and reads still open it.
    const after = await prisma.privateNote.findUniqueOrThrow({ where: { id: note.id } });
    expect(after.wrappedKey).not.toBe(before.wrappedKey);
    expect((await readPrivateNotes({ ids: [note.id] })).get(note.id)).toBe("Met the courier at gate 4");
  }, 60_000);
});
