"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import type { TRole } from "@/server/auth/roles";
import { playAlertTone, unlockAlertTone } from "./alert-tone";
import { usePreferences } from "./preferences";

export type TPortalAlert = {
  id: string;
  kind: "offer" | "excursion" | "ischemia";
  message: string;
  href: string;
};

const BADGE = /^\(\d+\) /;

/** Keeps "(N) " in front of the tab's title while N alerts are unseen, across page navigations. */
function useTitleBadge(count: number) {
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(BADGE, "");
      const want = count > 0 ? `(${count}) ${base}` : base;
      if (document.title !== want) document.title = want;
    };
    apply();
    const title = document.querySelector("title");
    const observer = new MutationObserver(apply);
    if (title) observer.observe(title, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }, [count]);
}

/**
 * Alerts for the people who must act: a new offer to a transplant centre, a temperature excursion
 * or an ischemia threshold to the OPO, the destination centre and the holder. Each alert is
 * announced to screen readers (aria-live), counted in the tab title until seen, and — as the
 * user's settings say — chimes and raises a desktop notification.
 */
export function AlertCentre({ role }: { role: TRole }) {
  const { preferences } = usePreferences();
  const prefs = useRef(preferences);
  prefs.current = preferences;
  const [alerts, setAlerts] = useState<TPortalAlert[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  useTitleBadge(unseen);

  const raise = useCallback((alert: TPortalAlert) => {
    setAlerts((prev) => [alert, ...prev.filter((a) => a.id !== alert.id)].slice(0, 5));
    setUnseen((n) => n + 1);
    // A fresh string each time, so a repeated message is announced again.
    setAnnouncement(`${alert.message}${"\u200b".repeat(Math.floor(Math.random() * 3))}`);
    const { alerts: settings } = prefs.current;
    if (settings.sound) playAlertTone(alert.kind === "offer" ? "offer" : "escalate");
    if (settings.desktop && typeof Notification !== "undefined" && Notification.permission === "granted") {
      try {
        new Notification(alert.kind === "offer" ? "New organ offer" : "Organ alert", {
          body: alert.message,
          tag: alert.id,
        });
      } catch {
        // Some browsers allow notifications only from a service worker: the page still shows it.
      }
    }
  }, []);

  useEffect(() => {
    const unlock = () => unlockAlertTone();
    window.addEventListener("pointerdown", unlock, { once: true });
    window.addEventListener("keydown", unlock, { once: true });
    const socket = io({ path: "/socket.io", withCredentials: true });
    socket.on("offer.updated", (p: { offerId: string; status: string; din?: string; organType?: string }) => {
      if (role !== "CENTER_COORDINATOR" || p.status !== "PENDING") return;
      raise({
        id: `offer-${p.offerId}`,
        kind: "offer",
        message: `New offer: ${p.organType?.toLowerCase() ?? "organ"} ${p.din ?? ""} — answer before the deadline.`,
        href: "/center/offers",
      });
    });
    socket.on("custody.excursion", (p: { organId: string; sequence: number; message: string }) => {
      raise({
        id: `excursion-${p.organId}-${p.sequence}`,
        kind: "excursion",
        message: p.message,
        href: `/organs/${p.organId}`,
      });
    });
    socket.on("custody.ischemia-alert", (p: { organId: string; level: number; message: string }) => {
      raise({
        id: `ischemia-${p.organId}-${p.level}`,
        kind: "ischemia",
        message: p.message,
        href: `/organs/${p.organId}`,
      });
    });
    return () => {
      socket.close();
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
  }, [role, raise]);

  return (
    <div className="mx-auto max-w-6xl px-6">
      <div aria-live="assertive" aria-atomic="true" className="sr-only" data-testid="alert-announcement">
        {announcement}
      </div>
      {alerts.length > 0 ? (
        <section
          aria-label="Alerts"
          className="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950"
          data-testid="alert-centre"
        >
          <ul className="space-y-1">
            {alerts.map((a) => (
              <li key={a.id} data-testid="portal-alert" data-kind={a.kind}>
                <Link href={a.href} className="underline">
                  {a.message}
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-2 flex gap-3">
            <button
              type="button"
              className="rounded border border-red-400 bg-white px-2 py-1"
              onClick={() => {
                setAlerts([]);
                setUnseen(0);
              }}
            >
              Mark all seen
            </button>
            <Link href="/settings" className="self-center underline">
              Alert settings
            </Link>
          </div>
        </section>
      ) : null}
    </div>
  );
}
