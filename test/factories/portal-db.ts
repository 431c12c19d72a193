import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
// Relative, not "@/": Playwright specs load this file too. The DIN module is pure (no server imports).
import { buildDonationIdentificationNumber } from "../../server/custody/donation-identification-number";

/**
 * Direct access to the database of the portal under test, to set the stage (an organ ready to
 * travel) the way the allocation flow would leave it. With DATABASE_URL (npm test) the same schema
 * as the server; otherwise the embedded PostgreSQL the server started in E2E_DATA_DIR.
 */
function connection(): { connectionString: string; schema: string } {
  const url = process.env.DATABASE_URL;
  if (url) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") || "public";
    parsed.searchParams.delete("schema");
    return { connectionString: parsed.toString(), schema };
  }
  const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? ".test-data/e2e");
  const pid = path.join(dataDir, "pg", "postmaster.pid");
  const credentials = path.join(dataDir, "pg.portal-credentials");
  if (!existsSync(pid) || !existsSync(credentials))
    throw new Error(`No running portal database in ${dataDir}`);
  // postmaster.pid: line 4 is the port the server listens on.
  const port = readFileSync(pid, "utf8").split("\n")[3]?.trim();
  const password = readFileSync(credentials, "utf8").trim();
  return {
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/portal`,
    schema: "public",
  };
}

/** The portal's database URL, schema included, for a second portal instance under test. */
export function portalDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { connectionString } = connection();
  return connectionString;
}

export async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const { connectionString, schema } = connection();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A kidney of the demo OPO (T0001) whose offer the demo centre (C0101) accepted, as allocation
 * leaves it: no custody step yet (the OPO records them through the portal).
 */
export async function createAllocatedOrgan() {
  return withClient(async (c) => {
    const orgs = await c.query<{ id: string; code: string }>(
      `SELECT id, code FROM "Organisation" WHERE code IN ('T0001','C0101')`,
    );
    const opo = orgs.rows.find((o) => o.code === "T0001")?.id;
    const centre = orgs.rows.find((o) => o.code === "C0101")?.id;
    if (!opo || !centre) throw new Error("demo organisations are not seeded");
    const caseId = randomUUID();
    const organId = randomUUID();
    const built = buildDonationIdentificationNumber({
      facility: "T0001",
      year: 2026,
      sequence: Number.parseInt(randomBytes(3).toString("hex"), 16) % 1_000_000,
    });
    const din = `${built.din}${built.checkCharacter}`;
    await c.query(
      `INSERT INTO "DonorCase" (id, code, "opoId", "referralHospital", donor) VALUES ($1, $2, $3, 'E2E General', '{}')`,
      [caseId, `E2E-${randomBytes(4).toString("hex")}`, opo],
    );
    await c.query(
      `INSERT INTO "Organ" (id, "donorCaseId", type, laterality, din, status, "destinationOrgId", "updatedAt")
       VALUES ($1, $2, 'KIDNEY', 'LEFT', $3, 'ALLOCATED', $4, now())`,
      [organId, caseId, din, centre],
    );
    return { organId, din, caseId };
  });
}
