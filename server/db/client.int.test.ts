import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { directSql, disconnectPrisma, prisma, withSqlTransaction, withTransaction } from "@/server/db";

afterAll(disconnectPrisma);

describe("the Prisma client (server/db.ts)", () => {
  it("reads and writes the run's database and schema through adapter-pg", async () => {
    const code = `Z${randomUUID().slice(0, 4)}`;
    const org = await prisma.organisation.create({ data: { code, name: "Test OPO", kind: "OPO" } });
    const user = await prisma.user.create({
      data: {
        email: `${randomUUID()}@example.test`,
        name: "Test Coordinator",
        passwordHash: "x",
        role: "OPO_COORDINATOR",
        organisationId: org.id,
      },
      include: { organisation: true },
    });
    expect(user.organisation?.code).toBe(code);
    expect(user.failedSignIns).toBe(0);
  });

  it("rolls a transaction back as a whole", async () => {
    const code = `Y${randomUUID().slice(0, 4)}`;
    await expect(
      withTransaction(async (tx) => {
        await tx.organisation.create({ data: { code, name: "Rolled back", kind: "REGULATOR" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await prisma.organisation.findUnique({ where: { code } })).toBeNull();
  });

  it("appends ledger events with a global position, and the database refuses to edit them", async () => {
    const subjectId = randomUUID();
    const event = await prisma.ledgerEvent.create({
      data: {
        subjectType: "Organ",
        subjectId,
        sequence: 1,
        type: "organ.registered",
        schemaVersion: 1,
        serverTime: new Date(),
        payload: { bloodType: "O" },
        salt: "00ff",
        hash: randomUUID(),
      },
    });
    expect(typeof event.position).toBe("bigint");
    await expect(prisma.ledgerEvent.update({ where: { id: event.id }, data: { type: "x" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.ledgerEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect((await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: event.id } })).type).toBe(
      "organ.registered",
    );
  });

  it("prepares a direct statement with parameters once per connection; one without runs as sent", async () => {
    const text = `SELECT $1::int + 1 AS n /* ${randomUUID()} */`;
    const prepared = await withSqlTransaction(async (sql) => {
      expect(await sql.query(text, [1])).toEqual([{ n: 2 }]);
      expect(await sql.query(text, [41])).toEqual([{ n: 42 }]);
      // Several commands in one text: only the simple protocol takes them, so it stays unnamed.
      await sql.exec("SELECT 1; SELECT 2");
      return sql.query<{ name: string; calls: string }>(
        "SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements WHERE statement = $1",
        [text],
      );
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]?.name).toMatch(/^portal_\d+$/);
    expect(Number(prepared[0]?.calls)).toBe(2);
  });

  it("names a bounded number of texts: a statement built anew each time still runs, unnamed", async () => {
    const sql = directSql();
    for (let i = 0; i < 520; i++) {
      expect(await sql.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    const [row] = await withSqlTransaction((tx) =>
      tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'portal\\_%' AND $1::bool",
        [true],
      ),
    );
    expect(row?.n).toBeGreaterThan(0);
    expect(row?.n).toBeLessThanOrEqual(500);
  });
});

describe("times are UTC whatever the zone of Node and of the database server", () => {
  it("a time written in direct SQL (text or Date, or the database's clock) reads back the same in direct SQL and through Prisma", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "Pacific/Auckland"; // UTC+13 in December: any offset shows
    try {
      const user = await prisma.user.create({
        data: {
          email: `${randomUUID()}@example.test`,
          name: "Zone Tester",
          passwordHash: "x",
          role: "DONOR",
        },
      });
      const at = new Date("2026-12-03T18:00:00.123Z");
      // `timestamp` columns (no zone), as most of the schema's are: one from ISO text into
      // ::timestamptz, one from a Date as the column's own type, one from the database's clock.
      const [fromText, fromDate, fromClock] = [randomUUID(), randomUUID(), randomUUID()];
      await directSql().exec(
        `INSERT INTO "UserSession" (id, "userId", "createdAt", "expiresAt") VALUES
           ($1, $4::uuid, $5::timestamptz, $5::timestamptz), ($2, $4::uuid, $6, $6), ($3, $4::uuid, DEFAULT, $6)`,
        [fromText, fromDate, fromClock, user.id, at.toISOString(), at],
      );
      const viaPrisma = await prisma.userSession.findMany({ where: { userId: user.id } });
      const byId = new Map(viaPrisma.map((r) => [r.id, r]));
      expect(byId.get(fromText)?.expiresAt.toISOString()).toBe(at.toISOString());
      expect(byId.get(fromDate)?.expiresAt.toISOString()).toBe(at.toISOString());
      const clock = byId.get(fromClock)?.createdAt.getTime() ?? 0;
      expect(Math.abs(clock - Date.now())).toBeLessThan(60_000);

      const viaSql = await directSql().query<{ id: string; createdAt: Date; expiresAt: Date }>(
        `SELECT id, "createdAt", "expiresAt" FROM "UserSession" WHERE "userId" = $1::uuid`,
        [user.id],
      );
      for (const row of viaSql) {
        expect(row.expiresAt.toISOString()).toBe(byId.get(row.id)?.expiresAt.toISOString());
        expect(row.createdAt.toISOString()).toBe(byId.get(row.id)?.createdAt.toISOString());
      }
      // Every pooled connection runs in UTC, whatever the server's default zone.
      const [session] = await directSql().query<{ TimeZone: string }>("SHOW TimeZone");
      expect(session?.TimeZone).toBe("UTC");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
