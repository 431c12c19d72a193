"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { useTRPC } from "@/app/_trpc/client";
import { readAgain } from "@/app/_trpc/read-again";
import type { TCustodyEventView, TCustodyLivePayload, TOrganInFlight } from "@/server/custody/custody-views";
import { createCustodyStream, type TCustodyStream } from "@/server/live/custody-stream";

export type TIschemiaAlert = { organId: string; din: string; level: number; message: string; at: string };
export type TLiveState = "connecting" | "connected" | "offline";

const CATCH_UP_TIMEOUT_MS = 3000;

/**
 * The organs in flight for the signed-in coordinator, kept current over socket.io: the first
 * load comes from tRPC; then every custody event is applied exactly once and in order per organ
 * (a per-organ sequence), and after a reconnect the missed events are fetched from the server.
 * `offsetMs` is server time minus this browser's time, so the clocks tick on the server's time.
 */
export function useCustodyLive() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The socket lives as long as the page; it reads the tRPC helpers through a ref.
  const trpcRef = useRef(trpc);
  trpcRef.current = trpc;
  const list = useQuery(
    trpc.custody.listInFlight.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const [organs, setOrgans] = useState<Map<string, TOrganInFlight>>(new Map());
  const [events, setEvents] = useState<TCustodyEventView[]>([]);
  const [alerts, setAlerts] = useState<TIschemiaAlert[]>([]);
  const [state, setState] = useState<TLiveState>("connecting");
  const [offsetMs, setOffsetMs] = useState(0);
  const stream = useRef<TCustodyStream<TCustodyEventView>>(createCustodyStream());
  const socketRef = useRef<Socket | null>(null);
  // When the list now awaited was asked for, and when each organ's last push arrived: a list read
  // before a push cannot know of it, and must not drop the organ that push brought in.
  const listAskedAt = useRef(performance.now());
  const pushedAt = useRef(new Map<string, number>());

  // A fresh list (first load or after a reconnect) replaces rows unless a newer push already came.
  useEffect(() => {
    if (!list.data) return;
    const first = list.data[0];
    if (first) setOffsetMs(Date.parse(first.serverNow) - Date.now());
    setOrgans((prev) => {
      const next = new Map<string, TOrganInFlight>();
      for (const o of list.data) {
        const known = prev.get(o.id);
        next.set(o.id, known && known.lastSequence > o.lastSequence ? known : o);
        stream.current.seed(o.id, o.lastSequence);
      }
      for (const [id, known] of prev) {
        if (!next.has(id) && (pushedAt.current.get(id) ?? -1) >= listAskedAt.current) next.set(id, known);
      }
      return next;
    });
  }, [list.data]);

  useEffect(() => {
    const socket = io({ path: "/socket.io", withCredentials: true });
    socketRef.current = socket;
    let connectedBefore = false;

    const apply = (ready: TCustodyEventView[]) => {
      if (ready.length) setEvents((prev) => [...prev, ...ready].slice(-200));
    };
    const catchUp = () => {
      const since = stream.current.lastSeen();
      if (Object.keys(since).length === 0) return;
      socket
        .timeout(CATCH_UP_TIMEOUT_MS)
        .emit(
          "custody:catch-up",
          { since },
          (err: Error | null, reply?: { ok: boolean; events?: TCustodyEventView[] }) => {
            if (!err && reply?.ok) {
              for (const e of reply.events ?? []) apply(stream.current.push(e));
              return;
            }
            // No answer on the socket (handlers not attached): ask the same question over tRPC.
            queryClient
              .fetchQuery({ ...trpcRef.current.custody.catchUp.queryOptions({ since }), staleTime: 0 })
              .then((missed) => {
                for (const e of missed) apply(stream.current.push(e));
              })
              .catch(() => {}); // the list refetch still brings the rows up to date
          },
        );
    };

    socket.on("session", () => {
      setState("connected");
      // Steps recorded between the list's read and this socket joining its rooms reached no one:
      // the first connection reads the list again, later ones also fetch the events missed while
      // offline.
      if (connectedBefore) catchUp();
      listAskedAt.current = performance.now();
      void readAgain(queryClient, trpcRef.current.custody.listInFlight.queryKey());
      connectedBefore = true;
    });
    socket.on("disconnect", () => setState("offline"));
    socket.on("connect_error", () => setState("offline"));
    socket.on("custody.recorded", (payload: TCustodyLivePayload) => {
      setOffsetMs(Date.parse(payload.organ.serverNow) - Date.now());
      pushedAt.current.set(payload.organ.id, performance.now());
      const ready = stream.current.push(payload.event);
      apply(ready);
      setOrgans((prev) => {
        const known = prev.get(payload.organ.id);
        if (known && known.lastSequence >= payload.organ.lastSequence) return prev;
        const next = new Map(prev);
        const done = payload.organ.status === "TRANSPLANTED" || payload.organ.status === "DISCARDED";
        next.set(payload.organ.id, payload.organ);
        if (done && known === undefined) next.delete(payload.organ.id);
        return next;
      });
      if (stream.current.gaps().length) catchUp();
    });
    socket.on("custody.ischemia-alert", (alert: TIschemiaAlert) => {
      setAlerts((prev) => [
        alert,
        ...prev.filter((a) => !(a.organId === alert.organId && a.level === alert.level)),
      ]);
    });
    return () => {
      socket.close();
      socketRef.current = null;
    };
  }, [queryClient]);

  return {
    organs: [...organs.values()],
    events,
    alerts,
    state,
    offsetMs,
    loading: list.isPending,
    error: list.error?.message ?? null,
  };
}
