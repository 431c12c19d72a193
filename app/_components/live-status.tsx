"use client";

import { useEffect, useState } from "react";
import { io } from "socket.io-client";

/** Shows whether this page is connected to the live channel (socket.io, same session cookie). */
export function LiveStatus() {
  const [state, setState] = useState<"connecting" | "connected" | "offline">("connecting");
  useEffect(() => {
    const socket = io({ path: "/socket.io", withCredentials: true });
    socket.on("session", () => setState("connected"));
    socket.on("disconnect", () => setState("offline"));
    socket.on("connect_error", () => setState("offline"));
    return () => {
      socket.close();
    };
  }, []);
  const colour = state === "connected" ? "bg-green-600" : state === "offline" ? "bg-red-600" : "bg-amber-500";
  return (
    <span
      className="inline-flex items-center gap-2 text-sm text-slate-700"
      data-testid="live-status"
      data-state={state}
    >
      <span aria-hidden="true" className={`h-2.5 w-2.5 rounded-full ${colour}`} />
      {/* On a phone the dot says it; the words stay for screen readers. */}
      <span className="max-sm:sr-only">Live updates: {state}</span>
    </span>
  );
}
