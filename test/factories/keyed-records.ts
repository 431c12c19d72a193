import { randomBytes } from "node:crypto";
import { generateSyntheticCandidates } from "@/prisma/synthetic";
import { openCandidateRecords, sealCandidateRecord } from "@/server/allocation/candidate-record";
import { loadDonorRecord } from "@/server/consent/donor-record";
import { readPrivateNotes, recordPrivateNote } from "@/server/consent/private-note";
import { createDonorRecord, findDonorByIdentity } from "@/server/consent/register-donor";
import type { TKeyRing } from "@/server/crypto/key-ring";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { nhsNumber } from "./nhs-number";

export type TKeyedRecords = Awaited<ReturnType<typeof writeKeyedRecords>>;

/**
 * One record behind each kind of wrapped data key a key rotation must re-wrap, written under
 * `ring`: a registrant (their key and blind index), a private custody note (its own key: no
 * registrant) and a waiting-list candidate's sealed record (the candidate's key).
 */
export async function writeKeyedRecords(db: PrismaClient, ring: TKeyRing) {
  const tag = randomBytes(4).toString("hex");
  const person = {
    fullName: `Rota Tion ${tag}`,
    dateOfBirth: "1970-06-15",
    identifier: { scheme: "UK_NHS" as const, value: nhsNumber() },
  };
  const { donorId } = await db.$transaction((tx) => createDonorRecord({ tx, ring, identity: person }));
  const noteText = `Handed over at bay ${tag}, cool box sealed`;
  const note = await db.$transaction((tx) => recordPrivateNote({ tx, text: noteText, ring }));
  const centre = await db.organisation.create({
    data: { code: tag.slice(0, 5).toUpperCase(), name: `Centre ${tag}`, kind: "TRANSPLANT_CENTER" },
  });
  const [entry] = generateSyntheticCandidates({ n: 1, seed: randomBytes(1)[0] as number });
  if (!entry) throw new Error("no synthetic candidate");
  const row = await db.candidate.create({
    data: {
      centerId: centre.id,
      code: `ROT-${tag}`,
      organ: entry.organ,
      abo: entry.abo,
      hla: entry.hla,
      unacceptable: entry.unacceptable,
      cpra: entry.cpra,
      listedAt: new Date(entry.listedAt),
      urgency: entry.urgency,
    },
  });
  const candidate = { ...entry, id: row.id, centreId: centre.id };
  const record = await db.$transaction((tx) => sealCandidateRecord({ tx, row, candidate, ring }));
  return { person, donorId, note: { id: note.id, text: noteText }, candidate, record };
}

/** What each record reads as under `ring` (null where it no longer opens). */
export async function openKeyedRecords(db: PrismaClient, ring: TKeyRing, written: TKeyedRecords) {
  const donor = await loadDonorRecord({ tx: db, donorId: written.donorId, ring }).catch(() => null);
  const found = await findDonorByIdentity({
    tx: db,
    ring,
    identifier: written.person.identifier,
    dateOfBirth: written.person.dateOfBirth,
  });
  const notes = await readPrivateNotes({ ids: [written.note.id], ring, db });
  const opened = await openCandidateRecords({
    tx: db,
    refs: [{ candidateId: written.candidate.id, record: written.record }],
    ring,
  });
  const record = opened.get(written.record.id);
  return {
    fullName: donor?.identity?.fullName ?? null,
    foundId: found?.id ?? null,
    note: notes.get(written.note.id) ?? null,
    candidate: record?.ok ? record.candidate : null,
  };
}

/** What `openKeyedRecords` gives when every record opens. */
export const allOpen = (written: TKeyedRecords) => ({
  fullName: written.person.fullName,
  foundId: written.donorId,
  note: written.note.text,
  candidate: written.candidate,
});
