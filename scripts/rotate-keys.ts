/**
 * `npm run keys:rotate`: re-wraps every stored data key (registrants, authorisations, private notes,
 * candidates: every column of WRAPPED_KEY_COLUMNS) under the first (active) key of
 * DATA_ENCRYPTION_KEYS and recomputes blind indexes. See server/consent/rotate-keys.ts.
 */
import { rotateDataKeys } from "@/server/consent/rotate-keys";
import { disconnectPrisma } from "@/server/db";

const result = await rotateDataKeys();
const columns = Object.entries(result.rewrapped);
const total = columns.reduce((sum, [, n]) => sum + n, 0);
console.log(
  `[keys] re-wrapped ${total} data keys (${columns.map(([name, n]) => `${name} ${n}`).join(", ")}) and recomputed ${result.blindIndexes} blind indexes`,
);
await disconnectPrisma();
