import "server-only";

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine as TSchemaEngine } from "@prisma/schema-engine-wasm";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { connectionOptions, parseDatabaseUrl, quoteIdent } from "./database-url";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "./migrations-dir";
import { createScratchSchema } from "./scratch-schema";

/**
 * Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter: the same
 * diffing the Prisma CLI does, without the native engine binary it cannot download offline.
 * Development-time only (drift test, `npm run db:new-migration`); start-up uses ./migrate.ts.
 */
let loaded: Promise<typeof bindings> | undefined;

function loadBindings(): Promise<typeof bindings> {
  loaded ??= (async () => {
    // The package's entry imports the .wasm as an ES module (bundler style), which Node refuses;
    // instantiate it by hand against the generated JS glue instead.
    const require = createRequire(import.meta.url);
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasm = await WebAssembly.compile(readFileSync(glue.replace(/\.js$/, ".wasm")));
    const instance = await WebAssembly.instantiate(wasm, {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return loaded;
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * adapter-pg runs a script by splitting it at every `;`, which breaks function bodies
 * (`$$ … ; … $$`) such as the ledger's append-only trigger. PostgreSQL's simple query protocol
 * runs a whole multi-statement script as is.
 */
function wholeScripts<A extends { executeScript(script: string): Promise<void> }>(
  adapter: A,
  pool: pg.Pool,
): A {
  adapter.executeScript = async (script) => {
    await pool.query(script);
  };
  return adapter;
}

/**
 * The engine's introspection selects catalog columns of PostgreSQL's one-byte `"char"` type, which
 * adapter-pg refuses ("Column type 'char' could not be deserialized"). pg already returns them as
 * strings, so relabel them as text before the adapter looks.
 */
const PG_CHAR = 18;
const PG_TEXT = 25;
type TFields = { fields?: Array<{ dataTypeID: number }> };
function relabelChar<R>(result: R): R {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const f of (r as TFields)?.fields ?? []) if (f.dataTypeID === PG_CHAR) f.dataTypeID = PG_TEXT;
  }
  return result;
}
function enginePool(connectionString: string, schema: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, options: connectionOptions(schema), max: 2 });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === "function") {
        args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : relabelChar(res));
        return query(...args);
      }
      const out = query(...args);
      return out instanceof Promise ? out.then(relabelChar) : out;
    };
  });
  return pool;
}

/**
 * Runs `fn` with a schema engine whose database, and shadow database, is a throwaway schema on the
 * server of `url` (dropped afterwards). adapter-pg's own shadow database keeps the original
 * connection string, so it would replay the migrations over the real database; a private schema
 * on the search path avoids that and needs no CREATEDB.
 */
async function withScratchEngine<T>(url: string, fn: (engine: TSchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const scratch = await createScratchSchema(url, "prisma_shadow");
  const { connectionString } = parseDatabaseUrl(url);
  const pool = enginePool(connectionString, scratch.schema);
  try {
    await pool.query(`CREATE SCHEMA ${quoteIdent(scratch.schema)}`);
    const factory = new PrismaPg(pool, { schema: scratch.schema });
    const connect = () => factory.connect().then((a) => wholeScripts(a, pool));
    const adapter = bindMigrationAwareSqlAdapterFactory({
      adapterName: factory.adapterName,
      provider: factory.provider,
      connect,
      connectToShadowDb: connect,
    });
    const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

/** Runs `fn` with a schema engine connected to the database and `?schema=` of `url`. */
async function withEngine<T>(url: string, fn: (engine: TSchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const { connectionString, schema } = parseDatabaseUrl(url);
  const pool = enginePool(connectionString, schema);
  try {
    const factory = new PrismaPg(pool, { schema });
    const connect = () => factory.connect().then((a) => wholeScripts(a, pool));
    const adapter = bindMigrationAwareSqlAdapterFactory({
      adapterName: factory.adapterName,
      provider: factory.provider,
      connect,
      connectToShadowDb: connect,
    });
    const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

export function migrationList(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): MigrationList {
  const lockfile = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: readFileSync(lockfile, "utf8") },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(migrationsDir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.script } },
    })),
  };
}

/**
 * The SQL that takes a database built by the migrations in `migrationsDir` to the schema in
 * `schemaText`; an empty string when the two agree (no drift).
 */
export async function diffMigrationsToSchema(opts: {
  url: string;
  schemaText: string;
  migrationsDir?: string;
}): Promise<string> {
  return withScratchEngine(opts.url, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationList(opts.migrationsDir) },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: opts.schemaText }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    // exitCode 2 means "the diff is not empty"; otherwise stdout holds an "empty migration" comment.
    return result.exitCode === 2 ? (result.stdout ?? "").trim() : "";
  });
}

/** Migrations in the folder that Prisma's engine still considers unapplied on the database of `url`. */
export async function pendingMigrationsByPrisma(opts: { url: string; migrationsDir?: string }) {
  return withEngine(opts.url, async (engine) => {
    const out = await engine.diagnoseMigrationHistory({
      migrationsList: migrationList(opts.migrationsDir),
      optInToShadowDatabase: false,
      filters: noFilters,
    });
    return out;
  });
}
