// Prisma's codes for "could not reach / lost the server / pool exhausted".
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// PostgreSQL SQLSTATEs: connection exceptions (08…), shutdown or start-up in progress (57P01–57P03),
// too many connections (53300).
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const SQLSTATE_IN_MESSAGE = /Code: `(08[0-9A-Z]{3}|57P0[123]|53300)`/;
const PHRASES = [
  "Can't reach database server",
  "Client has encountered a connection error",
  "Connection terminated",
  "connection timeout",
  "ECONNREFUSED",
  "ECONNRESET",
  "the database system is",
  "Server has closed the connection",
  // P2028 when no pooled connection freed up in time: nothing was written, a retry is safe.
  "Unable to start a transaction in the given time",
  // node-postgres's pool, for the same (statements run on it directly: withSqlTransaction).
  "timeout exceeded when trying to connect",
];

/**
 * Whether `err` means the database was unreachable or went away mid-request (restart, fail-over,
 * network), rather than that the request itself was wrong. Such a failure wrote nothing that was
 * not rolled back, so the client may simply try again.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; meta?: { code?: unknown }; cause?: unknown };
  if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.meta?.code === "string" && SQLSTATE.test(e.meta.code)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (SQLSTATE_IN_MESSAGE.test(message) || PHRASES.some((p) => message.includes(p))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
