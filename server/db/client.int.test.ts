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
