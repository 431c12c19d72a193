import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { parseKeyRing, type TKeyRing } from "./key-ring";

let cached: { source: string; ring: TKeyRing } | null = null;

/**
 * The master keys for field encryption, from `DATA_ENCRYPTION_KEYS` (`npm start` generates one
 * into the data folder when unset). Parsed once per value, so a rotated environment is picked up.
 */
export function dataKeyRing(): TKeyRing {
  const source = env().DATA_ENCRYPTION_KEYS;
  if (!source) {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "DATA_ENCRYPTION_KEYS is not set: personal data cannot be read or written",
    );
  }
  if (cached?.source !== source) cached = { source, ring: parseKeyRing(source) };
  return cached.ring;
}
