import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { eraseCustodyNote } from "@/server/custody/erase-custody-note";

export const ZEraseCustodyNoteRequestSchema = z.object({
  custodyEventId: z.uuid("custodyEventId must be a custody step id"),
});

/**
 * The organisation that recorded a custody step, or the organ's OPO, erases the step's free text
 * (a place's name, a device's label, a reason): a ledger event; another's step is not found.
 */
export const eraseNote = roleProcedure("OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER")
  .input(ZEraseCustodyNoteRequestSchema)
  .output(z.object({ custodyEventId: z.string(), noteErased: z.boolean() }))
  .mutation(({ ctx, input }) => eraseCustodyNote({ custodyEventId: input.custodyEventId, user: ctx.user }));
