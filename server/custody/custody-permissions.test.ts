import { describe, expect, it } from "vitest";
import type { TSessionUser } from "@/server/auth/roles";
import { isAppError } from "@/server/errors";
import { authoriseStepGroup, type TStepGroup } from "./custody-permissions";
import type { TOrganParties } from "./organ-access";

const user = (id: string, role: TSessionUser["role"], org: string | null): TSessionUser => ({
  id,
  email: `${id}@t`,
  name: id,
  role,
  organisationId: org,
  organisationName: org,
});
const OPO = user("opo", "OPO_COORDINATOR", "opo-1");
const OTHER_OPO = user("opo2", "OPO_COORDINATOR", "opo-2");
const CENTRE = user("centre", "CENTER_COORDINATOR", "centre-1");
const COURIER = user("courier", "COURIER", "fast");
const COLLEAGUE = user("courier2", "COURIER", "fast");

const atOpo: TOrganParties = {
  opoId: "opo-1",
  destinationOrgId: "centre-1",
  custodianOrgId: null,
  custodianUserId: null,
};
const withCourier: TOrganParties = { ...atOpo, custodianOrgId: "fast", custodianUserId: "courier" };

const REGULATOR = user("reg", "REGULATOR", "reg-1");

const cases: Array<{
  desc: string;
  group: TStepGroup;
  actor: TSessionUser;
  parties: TOrganParties;
  wantErr?: RegExp;
}> = [
  { desc: "OPO records its own recovery", group: "opo", actor: OPO, parties: atOpo },
  {
    desc: "another OPO may not",
    group: "opo",
    actor: OTHER_OPO,
    parties: atOpo,
    wantErr: /OPO that recovers/,
  },
  {
    desc: "a courier may not record packaging",
    group: "opo",
    actor: COURIER,
    parties: withCourier,
    wantErr: /OPO/,
  },
  { desc: "destination centre records arrival", group: "centre", actor: CENTRE, parties: withCourier },
  {
    desc: "the OPO may not record arrival",
    group: "centre",
    actor: OPO,
    parties: withCourier,
    wantErr: /destination/,
  },
  {
    desc: "a courier records checkpoints (the machine checks custody)",
    group: "holder",
    actor: COURIER,
    parties: withCourier,
  },
  {
    desc: "a courier confirms hand-offs (the machine checks the receiver)",
    group: "receiver",
    actor: COLLEAGUE,
    parties: withCourier,
  },
  {
    desc: "a regulator records nothing",
    group: "holder",
    actor: REGULATOR,
    parties: withCourier,
    wantErr: /role/,
  },
  {
    desc: "nor confirms a hand-off",
    group: "receiver",
    actor: REGULATOR,
    parties: withCourier,
    wantErr: /role/,
  },
];

describe("who may record a custody step", () => {
  for (const c of cases) {
    it(c.desc, () => {
      const run = () =>
        authoriseStepGroup({
          group: c.group,
          stepLabel: "this step",
          actor: c.actor,
          parties: c.parties,
        });
      if (!c.wantErr) return expect(run).not.toThrow();
      try {
        run();
        throw new Error("expected a refusal");
      } catch (err) {
        expect(isAppError(err) && err.code).toBe("FORBIDDEN");
        expect((err as Error).message).toMatch(c.wantErr);
      }
    });
  }
});
