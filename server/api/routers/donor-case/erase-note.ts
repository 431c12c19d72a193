import "server-only";

import { z } from "zod";
import { eraseDonorCaseNote } from "@/server/allocation/erase-case-note";
import { roleProcedure } from "@/server/api/trpc";

export const ZEraseCaseNoteRequestSchema = z.object({
  donorCaseId: z.uuid("donorCaseId must be a donor case id"),
  /** Typed by the coordinator in the confirmation: erasure cannot be undone. */
  confirm: z.literal("ERASE", { error: "type ERASE to confirm" }),
});

/**
 * The OPO that owns a closed donor case erases its closing note: a ledger event; another
 * organisation's case is not found.
 */
export const eraseNote = roleProcedure("OPO_COORDINATOR")
  .input(ZEraseCaseNoteRequestSchema)
  .output(z.object({ donorCaseId: z.string(), noteErased: z.literal(true) }))
  .mutation(({ ctx, input }) => eraseDonorCaseNote({ donorCaseId: input.donorCaseId, user: ctx.user }));
