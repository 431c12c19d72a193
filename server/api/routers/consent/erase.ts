import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { actorOf, donorIdOfUser } from "@/server/consent/donor-record";
import { eraseDonor } from "@/server/consent/erase-donor";
import { prisma } from "@/server/db";

/** Deletes the donor's account and crypto-shreds their record; the ledger keeps only proofs. */
export const erase = roleProcedure("DONOR")
  .input(
    z.object({
      confirm: z.literal("ERASE", { error: "type ERASE to confirm that your record should be destroyed" }),
    }),
  )
  .output(z.object({ ledgerEventId: z.string() }))
  .mutation(async ({ ctx }) => {
    const donorId = await donorIdOfUser(prisma, ctx.user.id);
    return eraseDonor({ donorId, actor: actorOf(ctx.user) });
  });
