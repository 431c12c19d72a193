import { describe, expect, it } from "vitest";
import type { TSessionUser } from "@/server/auth/roles";
import { mayFollowOrgan, organRooms, type TOrganParties } from "./organ-access";

const user = (role: TSessionUser["role"], org: string | null, id = `${role}-${org}`): TSessionUser => ({
  id,
  email: `${id}@t`,
  name: id,
  role,
  organisationId: org,
  organisationName: org,
});
const parties: TOrganParties = {
  opoId: "opo-1",
  destinationOrgId: "centre-1",
  custodianOrgId: "fast",
  custodianUserId: "courier-1",
};

describe("who follows an organ", () => {
  const cases: Array<{ desc: string; who: TSessionUser; want: boolean; actorOrgs?: string[] }> = [
    { desc: "the recovering OPO", who: user("OPO_COORDINATOR", "opo-1"), want: true },
    { desc: "another OPO", who: user("OPO_COORDINATOR", "opo-2"), want: false },
    { desc: "the destination centre", who: user("CENTER_COORDINATOR", "centre-1"), want: true },
    { desc: "another centre", who: user("CENTER_COORDINATOR", "centre-2"), want: false },
    { desc: "the courier holding it", who: user("COURIER", "fast", "courier-1"), want: true },
    {
      desc: "a courier that carried it earlier",
      who: user("COURIER", "air"),
      actorOrgs: ["air"],
      want: true,
    },
    { desc: "an unrelated courier", who: user("COURIER", "slow"), want: false },
    { desc: "a regulator", who: user("REGULATOR", "reg"), want: true },
    { desc: "a donor", who: user("DONOR", null), want: false },
  ];
  for (const c of cases) {
    it(c.desc, () => expect(mayFollowOrgan(c.who, parties, c.actorOrgs)).toBe(c.want));
  }

  it("pushes to the OPO, the destination, the holders before and after, never a role room", () => {
    const rooms = organRooms(parties, "opo-1");
    expect(rooms.sort()).toEqual(["org:centre-1", "org:fast", "org:opo-1", "user:courier-1"]);
    expect(rooms.some((r) => r.startsWith("role:"))).toBe(false);
  });
});
