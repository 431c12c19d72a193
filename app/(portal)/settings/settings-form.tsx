"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { playAlertTone } from "@/app/_components/alert-tone";
import { usePreferences } from "@/app/_components/preferences";
import { Button, Card, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { CREATININE_UNITS, type TUserPreferences } from "@/server/preferences/preferences-schema";

const FALLBACK_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Paris",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
];

/** Alert sound and desktop notifications, lab units and time zone, saved to the user's account. */
export function SettingsForm({ readOnly }: { readOnly: boolean }) {
  const trpc = useTRPC();
  const { preferences, setPreferences } = usePreferences();
  const [draft, setDraft] = useState<TUserPreferences>(preferences);
  const [zones, setZones] = useState<string[]>(FALLBACK_ZONES);
  const [permission, setPermission] = useState<string>("unknown");
  const [saved, setSaved] = useState(false);
  const id = useId();
  const save = useMutation(trpc.preferences.update.mutationOptions());
  useEffect(() => {
    const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone");
    if (all?.length) setZones(["UTC", ...all.filter((z) => z !== "UTC")]);
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (
      draft.alerts.desktop &&
      typeof Notification !== "undefined" &&
      Notification.permission === "default"
    ) {
      setPermission(await Notification.requestPermission());
    }
    const next = await save.mutateAsync(draft).catch(() => null);
    if (next) {
      setPreferences(next);
      setSaved(true);
    }
  };
  const alerts = (patch: Partial<TUserPreferences["alerts"]>) =>
    setDraft((d) => ({ ...d, alerts: { ...d.alerts, ...patch } }));

  return (
    <form onSubmit={submit} className="space-y-6" aria-describedby={`${id}-status`}>
      {readOnly ? (
        <p className="text-sm text-slate-700">
          Regulators change nothing in the portal: these settings stay at their defaults.
        </p>
      ) : null}
      <fieldset disabled={readOnly} className="space-y-6">
        <Card title="Alerts for new offers and excursions">
          <div className="space-y-3">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.alerts.sound}
                onChange={(e) => alerts({ sound: e.target.checked })}
              />
              Play a sound
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.alerts.desktop}
                onChange={(e) => alerts({ desktop: e.target.checked })}
              />
              Show a desktop notification
            </label>
            <p className="text-xs text-slate-600" data-testid="notification-permission">
              {permission === "denied"
                ? "This browser blocks notifications from the portal; allow them in the site settings."
                : permission === "granted"
                  ? "This browser allows the portal's notifications."
                  : permission === "unsupported"
                    ? "This browser does not show desktop notifications."
                    : "The browser asks for permission when you save with notifications on."}
            </p>
            <p className="text-xs text-slate-600">
              Alerts are always announced to screen readers and counted in the tab's title until you mark them
              seen.
            </p>
            <button
              type="button"
              className="rounded border border-slate-400 px-3 py-1 text-sm"
              onClick={() => playAlertTone("offer")}
            >
              Play the alert sound
            </button>
          </div>
        </Card>
        <Card title="Units and time">
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              id={`${id}-creatinine`}
              label="Creatinine and bilirubin shown in"
              value={draft.creatinineUnit}
              onChange={(e) =>
                setDraft((d) => ({
                  ...d,
                  creatinineUnit: e.target.value as TUserPreferences["creatinineUnit"],
                }))
              }
              options={CREATININE_UNITS.map(
                (u) => [u, u === "mg/dL" ? "mg/dL (US)" : "µmol/L (SI)"] as const,
              )}
            />
            <SelectField
              id={`${id}-zone`}
              label="Time zone for dates and times"
              value={draft.timeZone}
              onChange={(e) => setDraft((d) => ({ ...d, timeZone: e.target.value }))}
              options={(zones.includes(draft.timeZone) ? zones : [draft.timeZone, ...zones]).map(
                (z) => [z, z] as const,
              )}
            />
          </div>
        </Card>
        {readOnly ? null : <Button type="submit">{save.isPending ? "Saving…" : "Save settings"}</Button>}
      </fieldset>
      <div id={`${id}-status`} aria-live="polite">
        {save.error ? (
          <p role="alert" className="text-sm text-red-700">
            {save.error.message}
          </p>
        ) : null}
        {saved ? (
          <p className="text-sm text-green-800" data-testid="settings-saved">
            Settings saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
