"use client";

import { useQuery } from "@tanstack/react-query";
import { LabTrends } from "@/app/_components/lab-trends";
import { usePreferences } from "@/app/_components/preferences";
import { useTRPC } from "@/app/_trpc/client";
import { formatDateTime, formatDuration, formatLab, humanise } from "@/server/format/format";

const LOCI = ["A", "B", "DR"] as const;

/** A row of the sheet: term and value, side by side on a wide screen, stacked on a phone. */
function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap gap-x-2">
      <dt className="font-medium text-slate-600">{term}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

/**
 * The offer as a decision sheet: what a surgeon decides on, in the order they read it — consent
 * restrictions first (they can forbid the transplant), then ischemia, HLA, donor and candidate.
 */
export function OfferSheet({ offerId }: { offerId: string }) {
  const trpc = useTRPC();
  const { timeZone, creatinineUnit } = usePreferences().preferences;
  const sheet = useQuery(trpc.offer.sheet.queryOptions({ offerId }));
  if (sheet.error) return <p role="alert">{sheet.error.message}</p>;
  const s = sheet.data;
  if (!s) return <p role="status">Loading the decision sheet…</p>;
  const { donor, candidate, ischemia } = s;
  const positives = (["hbv", "hcv", "hiv"] as const).filter((k) => donor.serology[k]);
  return (
    <section aria-label="Decision sheet" data-testid="offer-sheet" className="mt-2 space-y-3 text-sm">
      {s.consent?.restrictions ? (
        <div
          role="note"
          aria-label="Consent restrictions"
          data-testid="sheet-restrictions"
          className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900"
        >
          <p className="font-semibold">
            The donor&apos;s consent carries restrictions: read them before accepting.
          </p>
          <p className="whitespace-pre-wrap">{s.consent.restrictions}</p>
        </div>
      ) : null}
      {s.consent && s.consent.status !== "IN_FORCE" ? (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-red-800">
          The consent this case rests on is no longer in force ({humanise(s.consent.status).toLowerCase()}).
        </p>
      ) : null}
      <dl className="grid gap-1 sm:grid-cols-2" data-testid="sheet-ischemia">
        <Fact term="Cold ischemia">
          {ischemia.crossClampAt && ischemia.elapsedMinutes !== null && ischemia.limitMinutes !== null
            ? `${formatDuration(ischemia.elapsedMinutes)} of ${formatDuration(ischemia.limitMinutes)} (cross-clamp ${formatDateTime(ischemia.crossClampAt, timeZone)})`
            : "not started: cross-clamp not yet recorded"}
        </Fact>
        <Fact term="At arrival here (estimate)">
          {ischemia.travel
            ? `${ischemia.percentUsedAtArrival !== null ? `${Math.round(ischemia.percentUsedAtArrival)} % of the limit, ` : ""}${formatDuration(ischemia.travel.minutes)} by ${ischemia.travel.mode} for ${ischemia.travel.distanceNm} NM`
            : "no locations to estimate from"}
        </Fact>
      </dl>
      {s.hla ? (
        <table className="w-full text-left" data-testid="sheet-hla">
          <caption className="text-left font-medium">
            HLA: {s.hla.total} mismatch{s.hla.total === 1 ? "" : "es"} at A, B, DR
            {s.policy ? ` (counted as ${s.policy.label} counts them)` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Locus</th>
              <th scope="col">Donor</th>
              <th scope="col">Candidate</th>
              <th scope="col">Mismatched</th>
            </tr>
          </thead>
          <tbody>
            {LOCI.map((locus) => {
              const l = s.hla?.loci[locus];
              if (!l) return null;
              return (
                <tr key={locus} data-locus={locus}>
                  <th scope="row">{locus}</th>
                  <td>{l.donor.join(" ") || "—"}</td>
                  <td>{l.candidate.join(" ") || "—"}</td>
                  <td data-testid={`mismatched-${locus}`}>{l.mismatched.join(" ") || "none"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>HLA typing incomplete: mismatches cannot be shown.</p>
      )}
      <dl className="grid gap-1 sm:grid-cols-2" data-testid="sheet-donor">
        <Fact term="Donor">
          {donor.abo}, {donor.ageYears} years, {donor.sex === "F" ? "female" : "male"},{" "}
          {donor.dcd ? "DCD (after circulatory death)" : "DBD (after brain death)"}
        </Fact>
        <Fact term="Cause of death">{humanise(donor.causeOfDeath)}</Fact>
        <Fact term="Serology">
          {positives.length ? (
            <strong className="text-red-800">
              {positives.map((k) => `${k.toUpperCase()} positive`).join(", ")}
            </strong>
          ) : (
            "HBV, HCV, HIV negative"
          )}
        </Fact>
        <Fact term="Labs">
          {donor.labs.length ? (
            <LabTrends labs={donor.labs} />
          ) : (
            <>{formatLab("creatinine", donor.creatinineMgDl, creatinineUnit)} creatinine at referral</>
          )}
        </Fact>
        <Fact term="History">
          {[donor.hypertension ? "hypertension" : null, donor.diabetes ? "diabetes" : null]
            .filter(Boolean)
            .join(", ") || "no hypertension or diabetes"}
        </Fact>
        {s.organ.type === "KIDNEY" && donor.kdpi !== null ? (
          <Fact term="KDRI / KDPI">
            {donor.kdri?.toFixed(2)} / {donor.kdpi} %
          </Fact>
        ) : null}
        <Fact term="Size">
          donor {donor.heightCm} cm, {donor.weightKg} kg; candidate {candidate.heightCm ?? "—"} cm,{" "}
          {candidate.weightKg ?? "—"} kg
        </Fact>
        <Fact term="Candidate">
          {candidate.code}: {candidate.abo}, {candidate.ageYears ?? "—"} years, cPRA {candidate.cpra} %
        </Fact>
      </dl>
    </section>
  );
}
