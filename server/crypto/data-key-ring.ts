import "server-only";

import path from "node:path";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { kekFolder, type TKekFolder } from "./kek-store";
import { parseKeyRing, type TKeyRing } from "./key-ring";

let cached: { source: string; keysDir: string | undefined; ring: TKeyRing; folder?: TKekFolder } | null =
  null;

function load() {
  const source = env().DATA_ENCRYPTION_KEYS;
  if (!source) {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "DATA_ENCRYPTION_KEYS is not set: personal data cannot be read or written",
    );
  }
  const keysDir = env().KEYS_DIR;
  if (cached?.source !== source || cached.keysDir !== keysDir) {
    const masters = parseKeyRing(source);
    const folder = keysDir ? kekFolder({ dir: path.resolve(keysDir), ring: masters }) : undefined;
    cached = { source, keysDir, ring: folder ? { ...masters, kek: folder } : masters, folder };
  }
  return cached;
}

/**
 * The keys for field encryption: master keys from `DATA_ENCRYPTION_KEYS` (`npm start` generates one
 * into the key folder when unset) and the key-encryption keys in `KEYS_DIR`. Parsed once per value,
 * so a rotated environment is picked up.
 */
export function dataKeyRing(): TKeyRing {
  return load().ring;
}

/** The key folder's KEKs (erasure rotates them), or null when no `KEYS_DIR` is configured. */
export function dataKekFolder(): TKekFolder | null {
  return load().folder ?? null;
}
