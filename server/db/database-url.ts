/**
 * Splits a Prisma-style DATABASE_URL into what node-postgres understands and the PostgreSQL schema
 * it names. Prisma's convention is `?schema=name` (default `public`); pg does not know that
 * parameter, so it is removed from the connection string handed to the driver.
 */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("DATABASE_URL is not a valid URL");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, got ${parsed.protocol}//`);
  }
  const schema = parsed.searchParams.get("schema") || "public";
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL names an unsupported schema "${schema}" (use letters, digits and _)`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}

/** The same URL pointing at another schema (Prisma's `?schema=` convention). */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("schema", schema);
  return parsed.toString();
}

/** A URL with any password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Double-quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The pool's `options` for every connection:
 * - unqualified names resolve in the portal's schema: Prisma qualifies its own queries, but raw SQL
 *   (row locks, JSON searches) would otherwise hit `public`;
 * - the session's time zone is UTC. Columns are `timestamp` without zone holding UTC (as Prisma
 *   writes them); a server whose default zone is local time (initdb takes the machine's) would
 *   otherwise turn a `timestamptz` value or `now()` written in SQL into local wall time, and the
 *   events' hashes, which commit to the time, would no longer hold when read back.
 */
export function connectionOptions(schema: string): string {
  return `-c search_path=${quoteIdent(schema)} -c TimeZone=UTC`;
}
