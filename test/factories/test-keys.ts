import { randomBytes } from "node:crypto";

/** A `DATA_ENCRYPTION_KEYS` string with fresh random keys, for tests only. */
export function testKeyRingSource(...ids: string[]): string {
  return ids.map((id) => `${id}:${randomBytes(32).toString("base64")}`).join(",");
}
