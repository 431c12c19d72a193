/**
 * `npm run keys:rotate`: re-wraps every registrant's data key under the first (active) key of
 * DATA_ENCRYPTION_KEYS and recomputes blind indexes. See server/consent/rotate-keys.ts.
 */
import { rotateDataKeys } from "@/server/consent/rotate-keys";
import { disconnectPrisma } from "@/server/db";

const result = await rotateDataKeys();
console.log(`[keys] re-wrapped ${result.donors} registrant keys and ${result.versions} authorisation keys`);
await disconnectPrisma();
