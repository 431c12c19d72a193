import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSession, openSession } from "@/server/auth/sessions";
import { verifyCredentials } from "@/server/auth/verify-credentials";
import { disconnectPrisma, prisma } from "@/server/db";
import { isAppError } from "@/server/errors";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { changeUserRole } from "./change-user-role";
import { createOrganisation } from "./create-organisation";
import { createUser } from "./create-user";
import { deactivateUser, reactivateUser } from "./set-user-active";
import { unlockUser } from "./unlock-user";
import { updateOrganisation } from "./update-organisation";

let admin: TStaff;
let opo: TStaff;
let centre: TStaff;

beforeAll(async () => {
  [admin, opo, centre] = await Promise.all([
    createStaff({ kind: "PLATFORM" }),
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected a refusal");
};
const eventsOf = (type: string, id: string) =>
  prisma.ledgerEvent.findMany({ where: { subjectType: type, subjectId: id }, orderBy: { sequence: "asc" } });
const code5 = () => `Z${String(randomBytes(2).readUInt16BE() % 10_000).padStart(4, "0")}`;
const PASSWORD = "a-long-first-password";

describe("organisations", () => {
  it("creates and renames an organisation, each a ledger event; a taken code is refused by name", async () => {
    let created: { organisationId: string } | undefined;
    let code = "";
    for (let i = 0; i < 5 && !created; i++) {
      code = code5();
      created = await createOrganisation({
        input: {
          code,
          name: "Hillcrest Transplant Centre",
          kind: "TRANSPLANT_CENTER",
          latitude: 51.5,
          longitude: -0.1,
        },
        user: admin.user,
      }).catch(() => undefined);
    }
    if (!created) throw new Error("no free code");
    await updateOrganisation({
      input: { organisationId: created.organisationId, name: "Hillcrest University Hospital" },
      user: admin.user,
    });
    const org = await prisma.organisation.findUniqueOrThrow({ where: { id: created.organisationId } });
    expect(org).toMatchObject({ name: "Hillcrest University Hospital", latitude: 51.5, code });
    const events = await eventsOf("organisation", created.organisationId);
    expect(events.map((e) => [e.type, (e.payload as { change: string }).change])).toEqual([
      ["organisation.recorded", "created"],
      ["organisation.recorded", "updated"],
    ]);
    expect(events[0]?.actorUserId).toBe(admin.user.id);
    const again = await refusal(
      createOrganisation({ input: { code, name: "Copy", kind: "OPO" }, user: admin.user }),
    );
    expect(again).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("code:") });
  });
});

describe("users", () => {
  it("creates a staff account that signs in; the ledger holds role and organisation, not name or e-mail", async () => {
    const email = `${randomUUID()}@admin.test`;
    const { userId } = await createUser({
      input: {
        email,
        name: "Priya Raman",
        role: "CENTER_COORDINATOR",
        organisationId: centre.org.id,
        password: PASSWORD,
      },
      user: admin.user,
    });
    const signIn = await verifyCredentials({ email, password: PASSWORD });
    expect(signIn).toMatchObject({ ok: true, user: { id: userId, role: "CENTER_COORDINATOR" } });
    const [event] = await eventsOf("user", userId);
    expect(event?.type).toBe("user.recorded");
    expect(JSON.stringify(event?.payload)).not.toContain("Priya");
    expect(JSON.stringify(event?.payload)).not.toContain(email);
  });

  it("refuses a role in an organisation of the wrong kind, and writes nothing", async () => {
    const email = `${randomUUID()}@admin.test`;
    const r = await refusal(
      createUser({
        input: {
          email,
          name: "Wrong Place",
          role: "COURIER",
          organisationId: opo.org.id,
          password: PASSWORD,
        },
        user: admin.user,
      }),
    );
    expect(r).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("COURIER_SERVICE") });
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();
  });

  it("changes a role with its organisation; an administrator cannot change their own", async () => {
    const staff = await createStaff({ kind: "OPO" });
    await changeUserRole({
      input: { userId: staff.user.id, role: "CENTER_COORDINATOR", organisationId: centre.org.id },
      user: admin.user,
    });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: staff.user.id } })).toMatchObject({
      role: "CENTER_COORDINATOR",
      organisationId: centre.org.id,
    });
    const events = await eventsOf("user", staff.user.id);
    expect(events.at(-1)?.payload).toMatchObject({ change: "role_changed", role: "CENTER_COORDINATOR" });
    const own = await refusal(
      changeUserRole({
        input: { userId: admin.user.id, role: "REGULATOR", organisationId: admin.org.id },
        user: admin.user,
      }),
    );
    expect(own.code).toBe("BAD_REQUEST");
  });

  it("unlocks a locked-out account (ledger event); an unlocked one is refused", async () => {
    const staff = await createStaff({ kind: "OPO" });
    await prisma.user.update({
      where: { id: staff.user.id },
      data: { lockedUntil: new Date(Date.now() + 15 * 60_000), failedSignIns: 0 },
    });
    await unlockUser({ userId: staff.user.id, user: admin.user });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: staff.user.id } })).toMatchObject({
      lockedUntil: null,
      failedSignIns: 0,
    });
    expect((await eventsOf("user", staff.user.id)).map((e) => e.type)).toEqual(["user.unlocked"]);
    expect((await refusal(unlockUser({ userId: staff.user.id, user: admin.user }))).code).toBe("CONFLICT");
  });

  it("a deactivated account cannot sign in until reactivated; both are ledger events", async () => {
    const email = `${randomUUID()}@admin.test`;
    const { userId } = await createUser({
      input: {
        email,
        name: "Sam Okafor",
        role: "OPO_COORDINATOR",
        organisationId: opo.org.id,
        password: PASSWORD,
      },
      user: admin.user,
    });
    const sessionId = await openSession({ userId });
    const sessionUser = { id: userId, role: "OPO_COORDINATOR" as const, organisationId: opo.org.id };
    expect(await checkSession({ sessionId, user: sessionUser })).toBe("live");
    await deactivateUser({ input: { userId, reasonCode: "LEFT_ORGANISATION" }, user: admin.user });
    // The session already open ends at once, not when its cookie expires.
    expect(await checkSession({ sessionId, user: sessionUser })).toBe("ended");
    expect(await verifyCredentials({ email, password: PASSWORD })).toEqual({
      ok: false,
      reason: "deactivated",
    });
    // A wrong password still reads as wrong: deactivation is not disclosed to a guesser.
    expect(await verifyCredentials({ email, password: "not-the-password" })).toMatchObject({
      reason: "invalid",
    });
    expect(
      (await refusal(deactivateUser({ input: { userId, reasonCode: "OTHER" }, user: admin.user }))).code,
    ).toBe("CONFLICT");
    await reactivateUser({ userId, user: admin.user });
    expect(await verifyCredentials({ email, password: PASSWORD })).toMatchObject({ ok: true });
    expect((await eventsOf("user", userId)).map((e) => e.type)).toEqual([
      "user.recorded",
      "user.deactivated",
      "user.reactivated",
    ]);
    const self = await refusal(
      deactivateUser({ input: { userId: admin.user.id, reasonCode: "OTHER" }, user: admin.user }),
    );
    expect(self.code).toBe("BAD_REQUEST");
  });
});
