import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listAccessHistory } from "@/server/consent/donor-views";
import { ZAccessRecordSchema } from "./my-access-history";

/** Regulators: who looked up a registrant's record (ids only; no identity is returned). */
export const accessHistory = roleProcedure("REGULATOR")
  .input(z.object({ donorId: z.uuid("donorId must be a registrant id") }))
  .output(z.array(ZAccessRecordSchema))
  .query(({ input }) => listAccessHistory({ donorId: input.donorId }));
