import "server-only";

import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DecryptionError, open, seal } from "./aead";
import { writeAtomic } from "./atomic-file";
import { deriveSubKey, masterKey, type TKeyRing } from "./key-ring";

/**
 * Key-encryption keys (KEKs): random keys that wrap every record's data key. They live in a file in
 * the key folder (`KEYS_DIR`), never in the database, each sealed by a master key. Erasing a person
 * adds a new KEK, re-wraps every other record's data key under it and then destroys the old one, so
 * a copy of the erased person's wrapped key (a dead tuple, the WAL, a backup) has nothing left that
 * unwraps it.
 */
export type TKek = { readonly id: string; readonly key: Buffer };

/** What the envelope needs: the KEK for new wraps, and any KEK by id for unwrapping. */
export type TKekStore = {
  active(): TKek;
  get(id: string): Buffer | undefined;
  ids(): string[];
};

export const KEK_FILE = "key-encryption-keys.json";
const SEAL_PURPOSE = "kek-seal/v1";

const ZKekFileSchema = z.object({
  format: z.literal("portal-kek/1"),
  active: z.string(),
  keys: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), sealed: z.string() })).min(1),
});
type TKekFile = z.infer<typeof ZKekFileSchema>;

function newKekId(): string {
  return `kek${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
}

function sealKek(ring: TKeyRing, kek: TKek): { id: string; sealed: string } {
  const master = ring.active;
  const sealed = seal(deriveSubKey(master, SEAL_PURPOSE), kek.key, `kek|${kek.id}`);
  return { id: kek.id, sealed: `${master.id}.${sealed}` };
}

function unsealKek(ring: TKeyRing, entry: { id: string; sealed: string }): Buffer {
  const [masterId, sealed] = entry.sealed.split(".");
  if (!masterId || !sealed) throw new DecryptionError(`key-encryption key ${entry.id} has an unknown format`);
  return open(deriveSubKey(masterKey(ring, masterId), SEAL_PURPOSE), sealed, `kek|${entry.id}`, "KEK");
}

export type TKekFolder = TKekStore & {
  readonly dir: string;
  /** Adds a fresh KEK and makes it active. The caller holds the key lock exclusively. */
  rotate(): TKek;
  /** Destroys every KEK not in `keep` (the active one is always kept); returns the destroyed ids. */
  destroyExcept(keep: Iterable<string>): string[];
  /** Seals every KEK under the ring's active master key (after a master-key rotation). */
  reseal(): void;
  /** The keys as they are now, for a bulk re-wrap that must not re-read the folder per row. */
  snapshot(): TKekStore;
};

/**
 * The KEK file in `dir`, sealed by the master keys of `ring`. Every call looks at the file again, so
 * a KEK destroyed by another process or instance is gone here too at the next use; the file is read
 * and unsealed again only when it changed (it is only ever replaced whole, by rename: a new inode).
 */
export function kekFolder({ dir, ring }: { dir: string; ring: TKeyRing }): TKekFolder {
  const file = path.join(dir, KEK_FILE);
  let cache: { stamp: string; file: TKekFile; keys: Map<string, Buffer> } | null = null;

  function read(): { file: TKekFile; keys: Map<string, Buffer> } {
    let seen = statSync(file, { throwIfNoEntry: false });
    if (!seen) {
      mkdirSync(path.dirname(dir), { recursive: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const first = { id: newKekId(), key: randomBytes(32) };
      const content: TKekFile = { format: "portal-kek/1", active: first.id, keys: [sealKek(ring, first)] };
      writeAtomic(file, `${JSON.stringify(content, null, 2)}\n`, true);
      seen = statSync(file);
    }
    // One stat per use instead of reading the file (every note or record opened asks for a KEK).
    const stamp = `${seen.dev}:${seen.ino}:${seen.size}:${seen.mtimeMs}:${seen.ctimeMs}`;
    if (cache?.stamp === stamp) return cache;
    const raw = readFileSync(file, "utf8");
    const parsed = ZKekFileSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new DecryptionError(`${file} is not a key-encryption key file`);
    const keys = new Map(parsed.data.keys.map((e) => [e.id, unsealKek(ring, e)]));
    if (!keys.has(parsed.data.active)) throw new DecryptionError(`${file}: the active KEK is missing`);
    cache = { stamp, file: parsed.data, keys };
    return cache;
  }

  function write(next: TKekFile): void {
    writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  }

  const folder: TKekFolder = {
    dir,
    active() {
      const { file: f, keys } = read();
      return { id: f.active, key: keys.get(f.active) as Buffer };
    },
    get(id) {
      return read().keys.get(id);
    },
    ids() {
      return [...read().keys.keys()];
    },
    rotate() {
      const { file: f } = read();
      const kek = { id: newKekId(), key: randomBytes(32) };
      write({ ...f, active: kek.id, keys: [...f.keys, sealKek(ring, kek)] });
      return kek;
    },
    destroyExcept(keep) {
      const { file: f } = read();
      const kept = new Set([...keep, f.active]);
      const destroyed = f.keys.filter((e) => !kept.has(e.id)).map((e) => e.id);
      if (destroyed.length > 0) write({ ...f, keys: f.keys.filter((e) => kept.has(e.id)) });
      return destroyed;
    },
    reseal() {
      const { file: f, keys } = read();
      write({ ...f, keys: f.keys.map((e) => sealKek(ring, { id: e.id, key: keys.get(e.id) as Buffer })) });
    },
    snapshot() {
      const { file: f, keys } = read();
      const frozen = new Map(keys);
      return {
        active: () => ({ id: f.active, key: frozen.get(f.active) as Buffer }),
        get: (id) => frozen.get(id),
        ids: () => [...frozen.keys()],
      };
    },
  };
  return folder;
}

/**
 * The ring with its key folder read once: for a loop that opens many records without yielding (a
 * page's notes, a match run's candidates), one look at the file instead of one per record.
 */
export function ringAsOfNow(ring: TKeyRing): TKeyRing {
  const folder = ring.kek as Partial<TKekFolder> | undefined;
  return folder?.snapshot ? { ...ring, kek: folder.snapshot() } : ring;
}
