import pg from "pg";

const TIMESTAMP = 1114; // `timestamp` without time zone
const TIMESTAMPTZ = 1184;

/**
 * Type parsers for the portal's pool: a `timestamp` column holds UTC (as Prisma writes it), so it
 * is read as UTC. node-postgres would read it in the Node process's local zone, and on a server
 * not set to UTC every time read in direct SQL would move by the zone's offset (and every event's
 * hash, which commits to its time, would fail to hold). Prisma's queries bring their own parsers.
 */
export const utcTimestampTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP && format !== "binary") return parseUtcTimestamp;
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Dates sent as parameters are written as UTC ("…+00:00") rather than in Node's local zone: a
 * parameter that PostgreSQL takes as a `timestamp` without zone (no `::timestamptz` in the text)
 * drops the offset, so a local rendering would be stored as local wall time. A process-wide
 * default of node-postgres (it has no per-pool setting); Prisma formats its own parameters.
 */
export function sendDatesAsUtc(): void {
  pg.defaults.parseInputDatesAsUTC = true;
}

const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (text: string) => Date | number;

/** "2026-12-03 18:00:00.123" as that instant in UTC; `infinity` and `-infinity` as pg gives them. */
function parseUtcTimestamp(text: string): Date | number {
  return text.endsWith("infinity") ? parseTimestamptz(text) : parseTimestamptz(`${text}+00`);
}
