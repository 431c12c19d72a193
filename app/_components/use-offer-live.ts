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
 * "offer.updated"), and after every reconnect, since updates sent while offline are not replayed:
 * the page then refetches from the server, which stays the source of truth. A payload of another
 * shape is passed on as `null` (refetch), never trusted.
 */
export function useOfferLive(onChange: (p: TOfferLivePayload | null) => void) {
  const [state, setState] = useState<"connecting" | "connected" | "offline">("connecting");
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const socket = io({ path: "/socket.io", withCredentials: true });
    let connectedBefore = false;
    socket.on("session", () => {
      setState("connected");
      if (connectedBefore) callback.current(null);
      connectedBefore = true;
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
