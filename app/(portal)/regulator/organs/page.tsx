import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";

export const metadata: Metadata = { title: "Organ provenance" };

/** Regulators: every organ, each linking to its verified provenance timeline. */
export default async function RegulatorOrgansPage() {
  const organs = await pageData((await serverCaller()).provenance.listOrgans());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Organ provenance</h1>
      <Card>
        {organs.length === 0 ? (
          <p>No organs recorded yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th className="py-2">DIN</th>
                <th>Organ</th>
                <th>Donor case</th>
                <th>Status</th>
                <th>Custody steps</th>
              </tr>
            </thead>
            <tbody>
              {organs.map((o) => (
                <tr key={o.id} className="border-b">
                  <td className="py-2">
                    <Link href={`/regulator/organs/${o.id}`} className="font-mono text-brand-700 underline">
                      {o.din}
                    </Link>
                  </td>
                  <td>
                    {o.type.toLowerCase()}
                    {o.laterality ? ` (${o.laterality.toLowerCase()})` : ""}
                  </td>
                  <td>{o.donorCaseCode}</td>
                  <td>{o.status.toLowerCase().replace(/_/g, " ")}</td>
                  <td>{o.custodySteps}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
