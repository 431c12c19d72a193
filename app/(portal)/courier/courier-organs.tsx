"use client";

import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { useCustodyLive } from "../dashboard/use-custody-live";

/**
 * The organs in this courier's care (held by them or their company), live, each a link to record
 * the next step. An organ handed on drops off the list once the receiver confirms.
 */
export function CourierOrgans({ userId, organisationId }: { userId: string; organisationId: string | null }) {
  const all = useCustodyLive();
  const organs = all.organs.filter(
    (o) => o.holderUser?.id === userId || (organisationId !== null && o.holderOrg?.id === organisationId),
  );
  const live = { ...all, organs };
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
