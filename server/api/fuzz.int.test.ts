import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { TRole, TSessionUser } from "@/server/auth/roles";
import { disconnectPrisma } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { isAppError } from "@/server/errors";
import { createOrgan, createStaff, type TStaff } from "@/test/factories/organ-factory";
import { hostileFor } from "@/test/setup/hostile-input";
import { createIsolatedDatabase, useOwnKeyFolder } from "@/test/setup/isolated-db";
import { appRouter, createCaller } from "./root";

/**
 * Hostile input for every procedure: each is called with random and adversarial values (shaped
 * like its input schema, or not at all) by a role it admits, and must answer with a result or a
 * clear refusal (4xx-style code and a message), never INTERNAL_SERVER_ERROR; a refused mutation
 * must leave every table as it was. Procedures are discovered from appRouter, as the
 * authorisation test does, so ones added later are covered without touching this file.
 */
// FUZZ_RUNS=300 for a deeper search than the default run in `npm test`.
const RUNS_PER_PROCEDURE = Number(process.env.FUZZ_RUNS ?? 30);
const REFUSALS = new Set<TRPCError["code"]>([
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNPROCESSABLE_CONTENT",
  "TOO_MANY_REQUESTS",
]);

type TProcedure = {
  _def: { meta?: { access?: "public" | readonly TRole[] }; type: string; inputs: unknown[] };
};
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, TProcedure>);

let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const sessions = new Map<TRole, TSessionUser>();
const known: string[] = [];
let countSql = "";

async function rowCount(): Promise<bigint> {
  const [row] = await iso.db.$queryRawUnsafe<Array<{ n: bigint }>>(countSql);
  return row?.n ?? 0n;
}

/** A donor with an account, made directly (the fuzzed register procedure must not be relied on). */
async function donorSession(): Promise<TSessionUser> {
  const user = await iso.db.user.create({
    data: {
      email: `${randomBytes(6).toString("hex")}@fuzz.test`,
      name: "Fuzz Donor",
      passwordHash: "not-a-real-hash",
      role: "DONOR",
    },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: "DONOR",
    organisationId: null,
    organisationName: null,
  };
}

beforeAll(async () => {
  iso = await createIsolatedDatabase("fuzz");
  // The routers use the one Prisma client: point it at this file's own schema.
  await disconnectPrisma();
  process.env.DATABASE_URL = iso.url;
  // Its own key folder too: an erasure elsewhere destroys the KEKs its own schema does not use.
  useOwnKeyFolder(iso.schema);
  resetEnvCache();

  const staff = new Map<string, TStaff>();
  for (const kind of ["OPO", "TRANSPLANT_CENTER", "COURIER_SERVICE", "REGULATOR", "PLATFORM"] as const) {
    const s = await createStaff({ kind });
    staff.set(kind, s);
    sessions.set(s.user.role, s.user);
    known.push(s.user.id, s.org.id, s.org.code, s.user.email);
  }
  const donor = await donorSession();
  sessions.set("DONOR", donor);
  known.push(donor.id);
  const organ = await createOrgan({
    opo: staff.get("OPO") as TStaff,
    centre: staff.get("TRANSPLANT_CENTER") as TStaff,
  });
  known.push(organ.id, organ.din);

  const tables = await iso.db.$queryRaw<Array<{ table_name: string }>>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = ${iso.schema} AND table_type = 'BASE TABLE'`;
  countSql = `SELECT (${tables
    .map((t) => `(SELECT count(*) FROM "${iso.schema}"."${t.table_name}")`)
    .join(" + ")})::bigint AS n`;
}, 120_000);

afterAll(async () => {
  if (process.env.FUZZ_VERBOSE) for (const [p, t] of tallies) console.log(p, Object.fromEntries(t));
  await disconnectPrisma();
  await iso?.drop();
});

const tallies = new Map<string, Map<string, number>>();
function tally(path: string, what: string) {
  const t = tallies.get(path) ?? new Map<string, number>();
  t.set(what, (t.get(what) ?? 0) + 1);
  tallies.set(path, t);
}

type TOutcome =
  | { ok: true }
  | { ok: false; code: string; message: string; cause: string; namesField: boolean };

/**
 * Whether a refusal names what was wrong, as the form shows it: zod issues carry their path ("input"
 * when the whole input is of the wrong type), a domain refusal its field errors or a "field: …"
 * message.
 */
function namesField(cause: unknown, message: string): boolean {
  if (cause instanceof ZodError) return cause.issues.length > 0;
  if (isAppError(cause) && cause.fieldErrors && Object.keys(cause.fieldErrors).length > 0) return true;
  // "field: why" or "input.path.to.field: why" (a path may hold a key the caller made up).
  return /^[A-Za-z_][A-Za-z0-9_]*(: |\.\S)/.test(message);
}

async function call(path: string, user: TSessionUser | null, input: unknown): Promise<TOutcome> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by path
  const fn = path.split(".").reduce<any>((node, key) => node[key], createCaller({ user }));
  try {
    await fn(input);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof TRPCError)) {
      return { ok: false, code: "NOT_A_TRPC_ERROR", message: String(err), cause: "", namesField: false };
    }
    const cause = err.cause ? `${err.cause.name}: ${err.cause.message.slice(0, 300)}` : "";
    return {
      ok: false,
      code: err.code,
      message: err.message,
      cause,
      namesField: namesField(err.cause, err.message),
    };
  }
}

describe("hostile input: every procedure answers with a result or a clear refusal", () => {
  it("has procedures to walk", () => {
    expect(procedures.length).toBeGreaterThan(0);
  });

  for (const [path, proc] of procedures) {
    const access = proc._def.meta?.access;
    const mutation = proc._def.type === "mutation";
    it(`${path}: never a 500, never a partial write`, async () => {
      const callers: Array<TSessionUser | null> =
        access === "public"
          ? [null, ...sessions.values()]
          : (access ?? []).map((r) => sessions.get(r) ?? null).filter((u) => u !== null);
      expect(callers.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...callers),
          hostileFor(proc._def.inputs[0], known),
          async (user, input) => {
            const before = mutation ? await rowCount() : 0n;
            const outcome = await call(path, user, input);
            if (process.env.FUZZ_VERBOSE)
              tally(path, outcome.ok ? "ok" : `${outcome.code} ${outcome.message.slice(0, 60)}`);
            if (outcome.ok) return;
            const where = `${path} as ${user?.role ?? "anonymous"}: ${outcome.code} ${outcome.message.slice(0, 300)} ${outcome.cause}`;
            expect(REFUSALS.has(outcome.code as TRPCError["code"]), where).toBe(true);
            expect(outcome.message.trim().length, where).toBeGreaterThan(0);
            // Bad input (400) says which field and why, so a form can put it beside the input.
            if (outcome.code === "BAD_REQUEST")
              expect(outcome.namesField, `${where}: names no field`).toBe(true);
            if (mutation)
              expect(await rowCount(), `${where}: a refused call changed the database`).toBe(before);
          },
        ),
        { numRuns: RUNS_PER_PROCEDURE, endOnFailure: true },
      );
    }, 60_000);
  }
});
