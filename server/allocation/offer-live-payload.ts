import { z } from "zod";

/**
 * The live push after an offer changes, to the centre offered and the OPO offering: one schema for
 * the server that sends it and the browser that reads it (`app/_components/use-offer-live.ts`).
 * Clients refetch on it; the server stays the source of truth.
 */
export const OFFER_LIVE_EVENT = "offer.updated";

export const ZOfferLivePayloadSchema = z.object({
  offerId: z.string(),
  organId: z.string(),
  status: z.enum(["PENDING", "ACCEPTED", "REFUSED", "EXPIRED", "WITHDRAWN"]),
  din: z.string().optional(),
  organType: z.string().optional(),
  rank: z.number().int().positive().optional(),
});
export type TOfferLivePayload = z.infer<typeof ZOfferLivePayloadSchema>;
