import { createTRPCRouter } from "@/server/api/trpc";
import { listOrganisations } from "./list-organisations";
import { listUsers } from "./list-users";

export const adminRouter = createTRPCRouter({ listUsers, listOrganisations });
