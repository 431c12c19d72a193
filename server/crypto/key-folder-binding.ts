import "server-only";

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * A key folder serves one database. Erasure destroys every key-encryption key that no data key in
 * *this* database is wrapped by, so a second database sharing the folder would lose its keys (and
 * with them every record) at the first erasure here. The folder therefore records which ledger it
 * belongs to, by the hash of that ledger's first event, and a portal on another ledger refuses it.
 */
export const BINDING_FILE = "ledger-binding.json";

const ZBindingSchema = z.object({
  format: z.literal("portal-key-folder-binding/1"),
  genesisHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  boundAt: z.string(),
});

export class KeyFolderBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyFolderBindingError";
  }
}

/**
 * Binds `dir` to the ledger beginning with `genesisHash`, or checks that it is bound to it.
 * `rebind`: the folder's previous database is known to be gone (an embedded cluster created afresh
 * in the same data folder), so its keys protect nothing and the folder passes to this ledger.
 * Returns what it did.
 */
export function bindKeyFolder({
  dir,
  genesisHash,
  rebind = false,
  now = new Date(),
}: {
  dir: string;
  genesisHash: string;
  rebind?: boolean;
  now?: Date;
}): "bound" | "checked" | "rebound" {
  const file = path.join(dir, BINDING_FILE);
  const write = () =>
    writeFileSync(
      file,
      `${JSON.stringify({ format: "portal-key-folder-binding/1", genesisHash, boundAt: now.toISOString() }, null, 2)}\n`,
      { mode: 0o600 },
    );
  if (!existsSync(file)) {
    write();
    return "bound";
  }
  let bound: z.output<typeof ZBindingSchema>;
  try {
    bound = ZBindingSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    throw new KeyFolderBindingError(`${file} is not a readable key-folder binding: restore it from a backup`);
  }
  if (bound.genesisHash === genesisHash) return "checked";
  if (rebind) {
    write();
    return "rebound";
  }
  throw new KeyFolderBindingError(
    `the key folder ${dir} belongs to another database (its ledger begins with event hash ${bound.genesisHash}, this database's with ${genesisHash}). An erasure here would destroy that database's keys: give each database its own KEYS_DIR. If that other database no longer exists, delete ${file}.`,
  );
}
