import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ROLES, type TRole, type TSessionUser } from "@/server/auth/roles";
import { appRouter, createCaller } from "./root";
import * as trpcModule from "./trpc";

type TProcedure = {
  _def: { meta?: { access?: "public" | readonly TRole[]; readOnlyEffect?: string }; type: string };
};
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, TProcedure>);

const userWith = (role: TRole): TSessionUser => ({
  id: "00000000-0000-4000-8000-000000000001",
  email: "walker@test",
  name: "Walker",
  role,
  organisationId: null,
  organisationName: null,
});

async function call(path: string, user: TSessionUser | null): Promise<TRPCError | "passed-guard"> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller by path
  const fn = path.split(".").reduce<any>((node, key) => node[key], createCaller({ user }));
  try {
    await fn(undefined);
    return "passed-guard";
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "UNAUTHORIZED" || err.code === "FORBIDDEN")) return err;
    return "passed-guard"; // failed later (input, database): the guard let it through
  }
}

describe("authorisation: every procedure declares who may call it (deny by default)", () => {
  it("the router has procedures to walk", () => {
    expect(procedures.length).toBeGreaterThan(0);
  });

  it("the tRPC module exports no unguarded procedure builder", () => {
    expect(Object.keys(trpcModule)).not.toContain("procedure");
    expect(
      Object.keys(trpcModule)
        .filter((k) => k.endsWith("Procedure"))
        .sort(),
    ).toEqual(["authedProcedure", "publicProcedure", "roleProcedure"]);
  });

  it("regulators read everything and change nothing: no mutation admits REGULATOR", () => {
    const mutating = procedures.filter(([, p]) => p._def.type === "mutation" && !p._def.meta?.readOnlyEffect);
    const open = mutating.filter(([, p]) => {
      const access = p._def.meta?.access;
      return access === "public" ? false : access?.includes("REGULATOR");
    });
    expect(open.map(([path]) => path)).toEqual([]);
  });

  it("a read that records something is a mutation (POST, origin-checked); these are all of them", () => {
    // Each writes only a record of the read (or starts a read-only job), so regulators may call it.
    const recording = procedures.filter(([, p]) => p._def.meta?.readOnlyEffect).map(([path]) => path);
    expect(recording.sort()).toEqual(["consent.exportFhir", "ledgerAudit.start"]);
    for (const path of recording) {
      expect(procedures.find(([p]) => p === path)?.[1]._def.type, path).toBe("mutation");
    }
  });

  for (const [path, proc] of procedures) {
    const access = proc._def.meta?.access;
    it(`${path} declares access`, () => {
      expect(access === "public" || (Array.isArray(access) && access.length > 0)).toBe(true);
    });
    if (access === "public") continue;

    it(`${path} refuses a caller with no session (401)`, async () => {
      const result = await call(path, null);
      expect(result).toBeInstanceOf(TRPCError);
      expect((result as TRPCError).code).toBe("UNAUTHORIZED");
    });

    for (const role of ROLES.filter((r) => !access?.includes(r))) {
      it(`${path} refuses ${role} (403)`, async () => {
        const result = await call(path, userWith(role));
        expect(result).toBeInstanceOf(TRPCError);
        expect((result as TRPCError).code).toBe("FORBIDDEN");
      });
    }
  }
});
