"use client";

import { usePreferences } from "@/app/_components/preferences";
import { DONOR_LAB_TESTS, type TDonorLabTest } from "@/server/allocation/donor-labs";
import { formatDateTime, formatLab } from "@/server/format/format";

type TPoint = { value: number; takenAt: Date | string; atReferral?: boolean };
export type TLabTrendView = {
  test: TDonorLabTest;
  points: TPoint[];
  latest: TPoint;
  peak: TPoint;
  direction: "rising" | "falling" | "stable" | null;
  changePercent: number | null;
};

const ARROW = { rising: "↑", falling: "↓", stable: "→" } as const;

/** A value in the unit people read it in: creatinine and bilirubin follow the user's setting. */
export function useLabValue() {
  const { creatinineUnit } = usePreferences().preferences;
  return (test: TDonorLabTest, value: number) =>
    test === "CREATININE" || test === "BILIRUBIN"
      ? formatLab(test === "CREATININE" ? "creatinine" : "bilirubin", value, creatinineUnit)
      : `${Number(value.toFixed(1))} ${DONOR_LAB_TESTS[test].unit}`;
}

/**
 * Each lab's latest value with its direction against the one before, and the series behind it, so
 * a rising creatinine is seen at a glance and its history one line below.
 */
export function LabTrends({ labs }: { labs: TLabTrendView[] }) {
  const { timeZone } = usePreferences().preferences;
  const show = useLabValue();
  if (labs.length === 0) return null;
  return (
    <ul className="space-y-1" aria-label="Donor labs" data-testid="lab-trends">
      {labs.map((t) => {
        const label = DONOR_LAB_TESTS[t.test].label;
        const rising = t.direction === "rising";
        return (
          <li key={t.test} data-testid={`lab-${t.test}`} data-direction={t.direction ?? "single"}>
            <span className="font-semibold">{label}</span>{" "}
            <span className={rising ? "font-semibold text-red-800" : undefined}>
              {show(t.test, t.latest.value)}
              {t.direction ? (
                <>
                  {" "}
                  <span aria-hidden="true">{ARROW[t.direction]}</span> {t.direction}
                  {t.changePercent !== null && t.direction !== "stable"
                    ? ` ${t.changePercent > 0 ? "+" : ""}${t.changePercent} %`
                    : ""}
                </>
              ) : null}
            </span>{" "}
            <span className="text-slate-600">
              ({t.latest.atReferral ? "at referral" : formatDateTime(t.latest.takenAt, timeZone)}
              {t.points.length > 1 ? `; peak ${show(t.test, t.peak.value)}` : ""})
            </span>
            {t.points.length > 1 ? (
              <span className="block text-xs text-slate-600">
                {t.points
                  .map(
                    (p) =>
                      `${show(t.test, p.value)} ${p.atReferral ? "at referral" : formatDateTime(p.takenAt, timeZone)}`,
                  )
                  .join(" → ")}
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
