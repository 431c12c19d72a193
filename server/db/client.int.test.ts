import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma, withTransaction } from "@/server/db";

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
});
