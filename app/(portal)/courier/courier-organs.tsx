"use client";

import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { useCustodyLive } from "../dashboard/use-custody-live";

/** The organs this courier's company holds or carried, live, each a link to record the next step. */
export function CourierOrgans() {
  const live = useCustodyLive();
  return (
    <Card title="Organs in your care">
      <p className="mb-3">
        <Link href="/organs/scan" className="font-medium text-brand-700 underline">
          Scan a label to take custody or hand over
        </Link>
      </p>
      {live.loading ? <p>Loading…</p> : null}
      {!live.loading && live.organs.length === 0 ? <p>No organ in your care right now.</p> : null}
      <ul className="space-y-2">
        {live.organs.map((o) => (
          <li key={o.id} data-testid="courier-organ">
            <Link href={`/organs/${o.id}`} className="text-brand-700 underline">
              {o.type.toLowerCase()} · {o.din}
            </Link>{" "}
            — {o.holderUser?.name ?? o.holderOrg?.name ?? "no holder"} →{" "}
            {o.destination?.name ?? "destination not set"}
          </li>
        ))}
      </ul>
    </Card>
  );
}
