import { publishLive } from "@/server/live/publish";
import { OFFER_LIVE_EVENT, type TOfferLivePayload } from "./offer-live-payload";

/** An offer change to push once its transaction has committed, and the rooms that hear of it. */
export type TOfferUpdate = { rooms: string[]; payload: TOfferLivePayload };

/** Pushes offer changes after their transaction committed (never inside it). */
export function publishOfferUpdates(updates: readonly TOfferUpdate[]) {
  for (const u of updates) publishLive(u.rooms, OFFER_LIVE_EVENT, u.payload);
}
