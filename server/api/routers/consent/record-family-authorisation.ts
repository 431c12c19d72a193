import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { actorOf } from "@/server/consent/donor-record";
import {
  recordFamilyAuthorisation as recordFn,
  ZFamilyAuthorisationSchema,
} from "@/server/consent/family-authorisation";
import { ZRecordedVersionSchema } from "./schemas";

/** An OPO coordinator records a next-of-kin authorisation for someone who left no decision. */
export const recordFamilyAuthorisation = roleProcedure("OPO_COORDINATOR")
  .input(ZFamilyAuthorisationSchema)
  .output(ZRecordedVersionSchema.extend({ donorId: z.string() }))
  .mutation(({ ctx, input }) => recordFn({ input, actor: actorOf(ctx.user) }));
