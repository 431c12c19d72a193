import "server-only";

import { prisma } from "@/server/db";
import { organName } from "@/server/format/labels";

/** A ledger subject as a regulator reads it: what it is, and where to look at it. */
export type TSubjectDescription = { subject: string; label: string; href: string | null };

/** Subject types named from their records; others (users, organisations, passkeys) by their kind. */
const LOOKED_UP = new Set(["organ", "offer", "match_run", "donor_case", "candidate", "donor"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names audit subjects ("organ:<uuid>") by what people know them by: an organ by its type and
 * DIN, an offer or a match run by the organ it concerns, a donor case by its code, a candidate by
 * their code. A subject whose record is gone (deleted, or a forged id) says so: that is a finding too.
 */
export async function describeSubjects(subjects: readonly string[]): Promise<TSubjectDescription[]> {
  const byType = new Map<string, string[]>();
  for (const s of new Set(subjects)) {
    const at = s.indexOf(":");
    const type = s.slice(0, at);
    const id = s.slice(at + 1);
    if (at > 0 && UUID.test(id)) byType.set(type, [...(byType.get(type) ?? []), id]);
  }
  const ids = (t: string) => byType.get(t) ?? [];
  const [organs, offers, runs, cases, candidates, donors] = await Promise.all([
    prisma.organ.findMany({
      where: { id: { in: ids("organ") } },
      select: { id: true, type: true, laterality: true, din: true },
    }),
    prisma.offer.findMany({
      where: { id: { in: ids("offer") } },
      select: { id: true, organ: { select: { id: true, type: true, laterality: true, din: true } } },
    }),
    prisma.matchRun.findMany({
      where: { id: { in: ids("match_run") } },
      select: { id: true, organ: { select: { type: true, laterality: true, din: true } } },
    }),
    prisma.donorCase.findMany({ where: { id: { in: ids("donor_case") } }, select: { id: true, code: true } }),
    prisma.candidate.findMany({ where: { id: { in: ids("candidate") } }, select: { id: true, code: true } }),
    prisma.donor.findMany({ where: { id: { in: ids("donor") } }, select: { id: true } }),
  ]);
  const known = new Map<string, Omit<TSubjectDescription, "subject">>();
  for (const o of organs)
    known.set(`organ:${o.id}`, {
      label: `${organName(o.type, o.laterality)} ${o.din}`,
      href: `/regulator/organs/${o.id}`,
    });
  for (const o of offers)
    known.set(`offer:${o.id}`, {
      label: `Offer of ${organName(o.organ.type, o.organ.laterality).toLowerCase()} ${o.organ.din}`,
      href: `/regulator/organs/${o.organ.id}`,
    });
  for (const r of runs)
    known.set(`match_run:${r.id}`, {
      label: `Match run for ${organName(r.organ.type, r.organ.laterality).toLowerCase()} ${r.organ.din}`,
      href: `/regulator/match-runs/${r.id}`,
    });
  for (const c of cases) known.set(`donor_case:${c.id}`, { label: `Donor case ${c.code}`, href: null });
  for (const c of candidates) known.set(`candidate:${c.id}`, { label: `Candidate ${c.code}`, href: null });
  for (const d of donors)
    known.set(`donor:${d.id}`, { label: "Registrant", href: `/regulator/registrants/${d.id}` });
  return [...new Set(subjects)].map((subject) => {
    const k = known.get(subject);
    if (k) return { subject, ...k };
    const at = subject.indexOf(":");
    const type = at > 0 ? subject.slice(0, at) : "";
    const kind = type ? type.replace(/_/g, " ") : "subject";
    return {
      subject,
      label: LOOKED_UP.has(type) ? `${kind} with no record in the portal` : kind,
      href: null,
    };
  });
}
