import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { changeUserRole } from "./change-user-role";
import { createOrganisation } from "./create-organisation";
import { createUser } from "./create-user";
import { deactivateUser } from "./deactivate-user";
import { listOrganisations } from "./list-organisations";
import { listUsers } from "./list-users";
import { reactivateUser } from "./reactivate-user";
import { unlockUser } from "./unlock-user";
import { updateOrganisation } from "./update-organisation";

/** The administrator's organisation and user management; every change is a ledger event. */
export const adminRouter = createTRPCRouter({
  listUsers,
  listOrganisations,
  createOrganisation,
  updateOrganisation,
  createUser,
  changeUserRole,
  unlockUser,
  deactivateUser,
  reactivateUser,
});
