import "server-only";

import { z } from "zod";
import { eraseCandidate } from "@/server/allocation/erase-candidate";
import { CANDIDATE_ERASURE_REASON_CODES } from "@/server/allocation/erase-candidate-reasons";
import { roleProcedure } from "@/server/api/trpc";
import { ZCandidateIdSchema } from "./schemas";

export const ZEraseCandidateRequestSchema = z.object({
  candidateId: ZCandidateIdSchema,
  reasonCode: z.enum(CANDIDATE_ERASURE_REASON_CODES, { error: "choose why the record is erased" }),
  /** Typed by the coordinator in the confirmation: erasure cannot be undone. */
  confirm: z.literal("ERASE", { error: "type ERASE to confirm" }),
});

/**
 * A centre erases the record of one of its candidates who has left the list (e.g. on the
 * recipient's request): a ledger event; another centre's candidate is not found.
 */
export const erase = roleProcedure("CENTER_COORDINATOR")
  .input(ZEraseCandidateRequestSchema)
  .output(z.object({ candidateId: z.string(), erasedAt: z.date() }))
  .mutation(({ ctx, input }) =>
    eraseCandidate({ candidateId: input.candidateId, reasonCode: input.reasonCode, user: ctx.user }),
  );
