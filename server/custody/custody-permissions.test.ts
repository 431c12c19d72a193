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
const toCourier = { userId: "courier", orgId: "fast" };

const cases: Array<{
  desc: string;
  group: TStepGroup;
  actor: TSessionUser;
  parties: TOrganParties;
  pending?: { userId: string; orgId: string | null };
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
  { desc: "the OPO holds the organ before the first hand-off", group: "holder", actor: OPO, parties: atOpo },
  { desc: "the holding courier records a checkpoint", group: "holder", actor: COURIER, parties: withCourier },
  {
    desc: "a colleague courier does not hold it",
    group: "holder",
    actor: COLLEAGUE,
    parties: withCourier,
    wantErr: /do not hold custody/,
  },
  {
    desc: "the OPO no longer holds it after the hand-off",
    group: "holder",
    actor: OPO,
    parties: withCourier,
    wantErr: /custody/,
  },
  {
    desc: "the named receiver confirms",
    group: "receiver",
    actor: COURIER,
    parties: atOpo,
    pending: toCourier,
  },
  {
    desc: "someone else may not confirm",
    group: "receiver",
    actor: COLLEAGUE,
    parties: atOpo,
    pending: toCourier,
    wantErr: /someone else/,
  },
  { desc: "no pending hand-off", group: "receiver", actor: COURIER, parties: atOpo, wantErr: /No hand-off/ },
  {
    desc: "a centre colleague confirms for the centre",
    group: "receiver",
    actor: CENTRE,
    parties: withCourier,
    pending: { userId: "someone-else", orgId: "centre-1" },
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
          pendingReceiver: c.pending,
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
