"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TIschemiaBucket } from "@/server/regulator/report-series";
import type { TConsentRow, TDiscardRow, TOfferRow, TTransitRow } from "@/server/regulator/reports";

/** Colours with enough contrast on white (WCAG AA for large graphics). */
const COLOURS = {
  primary: "#1d4ed8",
  beyond: "#b91c1c",
  accepted: "#15803d",
  refused: "#b45309",
  expired: "#b91c1c",
  family: "#7c3aed",
  changes: "#0f766e",
};

function Frame({
  label,
  height = 260,
  children,
}: {
  label: string;
  height?: number;
  children: React.ReactElement;
}) {
  return (
    <figure aria-label={label} className="w-full" style={{ height }} data-testid="report-chart">
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

/** One small histogram per organ type, with a dashed line where its cold-ischemia limit falls. */
export function IschemiaCharts({ rows }: { rows: TIschemiaBucket[] }) {
  const types = [...new Set(rows.map((r) => r.organType))];
  return (
    <div className="grid gap-4 md:grid-cols-2 lg:grid-cols-3">
      {types.map((type) => {
        const data = rows.filter((r) => r.organType === type);
        const limit = data[0]?.limitHours ?? 0;
        const total = data.reduce((n, r) => n + r.organs, 0);
        const beyond = data.filter((r) => r.beyondLimit).reduce((n, r) => n + r.organs, 0);
        const atLimit = data.find((r) => r.fromHours === limit)?.bucket;
        return (
          <div key={type}>
            <h3 className="text-sm font-semibold text-slate-800">
              {type.charAt(0) + type.slice(1).toLowerCase()} · limit {limit} h · {total} transplanted
              {beyond ? `, ${beyond} beyond the limit` : ""}
            </h3>
            <Frame
              label={`Cold ischemia hours of ${type.toLowerCase()} transplants against the ${limit} h limit`}
              height={200}
            >
              <BarChart data={data} margin={{ top: 10, right: 10, bottom: 0, left: -20 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="bucket" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
                <YAxis allowDecimals={false} tick={{ fontSize: 10 }} />
                <Tooltip />
                <Bar dataKey="organs" name="organs" fill={COLOURS.primary} isAnimationActive={false} />
                {atLimit ? (
                  <ReferenceLine
                    x={atLimit}
                    position="start"
                    stroke={COLOURS.beyond}
                    strokeDasharray="4 2"
                    label={{
                      value: `limit ${limit} h`,
                      position: "insideTopRight",
                      fontSize: 10,
                      fill: COLOURS.beyond,
                    }}
                  />
                ) : null}
              </BarChart>
            </Frame>
          </div>
        );
      })}
    </div>
  );
}

export function DiscardChart({ rows }: { rows: TDiscardRow[] }) {
  return (
    <Frame label="Discarded organs by stated reason" height={Math.max(160, 40 * rows.length + 60)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 5, right: 20, bottom: 5, left: 20 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="reason" width={180} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Bar dataKey="organs" name="organs discarded" fill={COLOURS.beyond} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function OfferChart({ rows }: { rows: TOfferRow[] }) {
  return (
    <Frame label="Offers by time to answer, and offers that expired unanswered">
      <BarChart data={rows} margin={{ top: 10, right: 10, bottom: 0, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="accepted" stackId="a" fill={COLOURS.accepted} isAnimationActive={false} />
        <Bar dataKey="refused" stackId="a" fill={COLOURS.refused} isAnimationActive={false} />
        <Bar dataKey="expired" stackId="a" fill={COLOURS.expired} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function TransitChart({ rows }: { rows: TTransitRow[] }) {
  return (
    <Frame label="Organs in transit per period">
      <BarChart data={rows} margin={{ top: 10, right: 10, bottom: 0, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="period" tick={{ fontSize: 10 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="organs" name="organs in transit" fill={COLOURS.primary} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function ConsentChart({ rows }: { rows: TConsentRow[] }) {
  return (
    <Frame label="Consent registrations, changes, family authorisations and revocations per day">
      <LineChart data={rows} margin={{ top: 10, right: 10, bottom: 0, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="period" tick={{ fontSize: 10 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Line dataKey="registrations" stroke={COLOURS.primary} dot={false} isAnimationActive={false} />
        <Line dataKey="changes" stroke={COLOURS.changes} dot={false} isAnimationActive={false} />
        <Line
          dataKey="familyAuthorisations"
          name="family authorisations"
          stroke={COLOURS.family}
          dot={false}
          isAnimationActive={false}
        />
        <Line dataKey="revocations" stroke={COLOURS.expired} dot={false} isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}
