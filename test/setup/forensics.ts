import pg from "pg";

/**
 * What a database superuser can read without the portal: every page of every table (dead row
 * versions included, through `pageinspect`) and the WAL. For the erasure forensics tests.
 */
export async function asSuperuser<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function currentWalLsn(c: pg.Client): Promise<string> {
  const { rows } = await c.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  return rows[0]?.lsn as string;
}

/** Every tuple's bytes on every page of every table (and TOAST table) of `schema`. */
export async function readAllPages(c: pg.Client, schema: string): Promise<Buffer[]> {
  try {
    await c.query("CREATE EXTENSION IF NOT EXISTS pageinspect WITH SCHEMA public");
  } catch (err) {
    // Another run created it at the same moment.
    if (!/already exists|duplicate key/.test((err as Error).message)) throw err;
  }
  const { rows: rels } = await c.query<{ oid: number; blocks: string }>(
    `SELECT r.oid, pg_relation_size(r.oid) / current_setting('block_size')::int AS blocks
       FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_class r ON r.oid IN (t.oid, t.reltoastrelid)
      WHERE n.nspname = $1 AND t.relkind = 'r'`,
    [schema],
  );
  const out: Buffer[] = [];
  for (const rel of rels) {
    for (let block = 0; block < Number(rel.blocks); block++) {
      const { rows } = await c.query<{ raw: Buffer }>(
        "SELECT public.get_raw_page($1::regclass::text, $2) AS raw",
        [rel.oid, block],
      );
      // The raw page holds live and dead tuples alike (heap_page_items reads from the same bytes).
      if (rows[0]) out.push(rows[0].raw);
    }
  }
  return out;
}

/** The WAL written from `fromLsn` until now, read through the server. */
export async function readWalSince(c: pg.Client, fromLsn: string): Promise<Buffer[]> {
  const { rows } = await c.query<{ start_file: string; start_offset: number; end_file: string }>(
    `SELECT s.file_name AS start_file, s.file_offset AS start_offset,
            pg_walfile_name(pg_current_wal_lsn()) AS end_file
       FROM pg_walfile_name_offset($1::pg_lsn) s`,
    [fromLsn],
  );
  const { start_file, start_offset, end_file } = rows[0] as (typeof rows)[0];
  const { rows: files } = await c.query<{ name: string }>(
    "SELECT name FROM pg_ls_waldir() WHERE name >= $1 AND name <= $2 AND name ~ '^[0-9A-F]{24}$' ORDER BY name",
    [start_file, end_file],
  );
  const out: Buffer[] = [];
  for (const { name } of files) {
    const offset = name === start_file ? start_offset : 0;
    const { rows: data } = await c.query<{ bytes: Buffer }>(
      "SELECT pg_read_binary_file('pg_wal/' || $1, $2, 16 * 1024 * 1024, true) AS bytes",
      [name, offset],
    );
    if (data[0]?.bytes) out.push(data[0].bytes);
  }
  return out;
}
