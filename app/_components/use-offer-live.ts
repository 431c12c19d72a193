"use client";

import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import {
  OFFER_LIVE_EVENT,
  type TOfferLivePayload,
  ZOfferLivePayloadSchema,
} from "@/server/allocation/offer-live-payload";

export type { TOfferLivePayload };

/**
 * Calls `onChange` whenever an offer of the signed-in user's organisation changes (socket.io
 * "offer.updated"), and on every connection, since updates sent before it or while offline are not replayed:
 * the page then refetches from the server, which stays the source of truth. A payload of another
 * shape is passed on as `null` (refetch), never trusted.
 */
export function useOfferLive(onChange: (p: TOfferLivePayload | null) => void) {
  const [state, setState] = useState<"connecting" | "connected" | "offline">("connecting");
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const socket = io({ path: "/socket.io", withCredentials: true });
    // Every connection, the first too, refetches: an update sent between the page's read and this
    // socket joining its rooms reached no one.
    socket.on("session", () => {
      setState("connected");
      callback.current(null);
    });
    socket.on(OFFER_LIVE_EVENT, (p: unknown) => {
      const parsed = ZOfferLivePayloadSchema.safeParse(p);
      callback.current(parsed.success ? parsed.data : null);
    });
    socket.on("disconnect", () => setState("offline"));
    socket.on("connect_error", () => setState("offline"));
    return () => {
      socket.close();
    };
  }, []);
  return state;
}
