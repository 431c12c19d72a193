"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePreferences } from "@/app/_components/preferences";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatDateTime } from "@/server/format/format";

/** The OPO's cases, newest first, each with its organs and their status. */
export function DonorCaseList() {
  const { timeZone } = usePreferences().preferences;
  const trpc = useTRPC();
  const cases = useQuery(trpc.donorCase.list.queryOptions());
  return (
    <Card title="Your OPO's cases">
      {cases.error ? <p role="alert">{cases.error.message}</p> : null}
      {cases.data?.length === 0 ? <p>No cases yet.</p> : null}
      <ul className="divide-y divide-slate-200" data-testid="case-list">
        {cases.data?.map((c) => (
          <li key={c.id} className="py-2">
            <Link href={`/opo/cases/${c.id}`} className="font-mono font-medium text-brand-700 underline">
              {c.code}
            </Link>{" "}
            <span className="text-sm text-slate-700">
              {c.referralHospital}, opened {formatDateTime(c.openedAt, timeZone)}
              {c.kdpi !== null ? `, KDPI ${c.kdpi} %` : ""}
            </span>
            <div className="text-sm text-slate-700">
              {c.organs
                .map(
                  (o) =>
                    `${o.type.toLowerCase()}${o.laterality ? ` (${o.laterality.toLowerCase()})` : ""}: ${o.status.toLowerCase()}`,
                )
                .join(" · ")}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
