import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { disconnectUserSockets } from "@/server/auth/sessions";
import { actorOf, donorIdOfSignedInUser } from "@/server/consent/donor-record";
import { eraseDonor } from "@/server/consent/erase-donor";

/** Deletes the donor's account and crypto-shreds their record; the ledger keeps only proofs. */
export const erase = roleProcedure("DONOR")
  .input(
    z.object({
      confirm: z.literal("ERASE", { error: "type ERASE to confirm that your record should be destroyed" }),
    }),
  )
  .output(z.object({ ledgerEventId: z.string() }))
  .mutation(async ({ ctx }) => {
    const donorId = await donorIdOfSignedInUser(ctx.user.id);
    const erased = await eraseDonor({ donorId, actor: actorOf(ctx.user) });
    // The account's sessions went with it (rows cascade); its open sockets go now.
    disconnectUserSockets(ctx.user.id);
    return erased;
  });
