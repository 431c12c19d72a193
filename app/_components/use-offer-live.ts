"use client";

import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";

export type TOfferLivePayload = {
  offerId: string;
  organId: string;
  status: string;
  din?: string;
  organType?: string;
};

/**
 * Calls `onChange` whenever an offer of the signed-in user's organisation changes (socket.io
 * "offer.updated"), and after every reconnect, since updates sent while offline are not replayed:
 * the page then refetches from the server, which stays the source of truth.
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
    socket.on("offer.updated", (p: TOfferLivePayload) => callback.current(p));
    socket.on("disconnect", () => setState("offline"));
    socket.on("connect_error", () => setState("offline"));
    return () => {
      socket.close();
    };
  }, []);
  return state;
}
