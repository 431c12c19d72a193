import type pg from "pg";

/**
 * Polls `pg_locks` (every 25 ms, `tries` times at most) until a request for the data-key lock
 * (server/consent/key-lock.ts) in `mode` is waiting, or `settled()` says the request is over; true
 * when one was seen waiting.
 */
export async function keyLockQueued(
  client: pg.Client,
  mode: "ShareLock" | "ExclusiveLock",
  settled: () => boolean,
  tries = 200,
): Promise<boolean> {
  for (let i = 0; i < tries && !settled(); i++) {
    const { rows } = await client.query(
      `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND mode = $1
         AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('data-keys:kek', 0)`,
      [mode],
    );
    if (Number(rows[0]?.n) > 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
