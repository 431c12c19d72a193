import "server-only";

import { roleProcedure } from "@/server/api/trpc";
import { ZConsentDecisionSchema } from "@/server/consent/decision-schema";
import { actorOf, donorIdOfSignedInUser } from "@/server/consent/donor-record";
import { recordConsent } from "@/server/consent/record-consent";
import { AppError } from "@/server/errors";
import { ZRecordedVersionSchema } from "./schemas";

/** A donor records (or changes) their own decision: a new version with its own receipt. */
export const recordDecision = roleProcedure("DONOR")
  .input(ZConsentDecisionSchema)
  .output(ZRecordedVersionSchema)
  .mutation(async ({ ctx, input }) => {
    if (input.kind !== "FIRST_PERSON") {
      throw new AppError("BAD_REQUEST", "a donor records a first-person decision", {
        kind: "must be FIRST_PERSON",
      });
    }
    const donorId = await donorIdOfSignedInUser(ctx.user.id);
    return recordConsent({ donorId, decision: input, actor: actorOf(ctx.user) });
  });
