/**
 * What keeping recipients' clinical detail off the ledger costs per candidate: sealing one version
 * (a data key, a salted commitment, AES-GCM) and opening it again as a match run's first warm-up
 * and every replay do (unwrap, decrypt, check the commitment). Pure crypto, no database:
 * `npx tsx --import ./scripts/server-only.mjs bench/candidate-record.ts [records]`.
 */
import { randomBytes } from "node:crypto";
import { commit, generateSalt, verifyCommitment } from "@/server/crypto/commitment";
import { createRecordKey, decryptJson, encryptJson } from "@/server/crypto/envelope";
import { parseKeyRing } from "@/server/crypto/key-ring";

const ring = parseKeyRing(`k1:${randomBytes(32).toString("base64")}`);
const candidate = {
  centreId: "centre",
  organ: "KIDNEY",
  status: "ACTIVE",
  abo: "O",
  hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
  unacceptable: [],
  cpra: 10,
  listedAt: "2022-01-10T00:00:00.000Z",
  dialysisStartedAt: "2021-06-01T00:00:00.000Z",
  dateOfBirth: "1975-05-05",
  sex: "F",
  heightCm: 168,
  weightKg: 70,
  priorLivingDonor: false,
  priorTransplants: 0,
  diabetes: false,
  urgency: { highUrgency: false },
  location: { lat: 51.5, lon: -0.1 },
};
const n = Number(process.argv[2] ?? 10_000);
const context = (i: number) => `CandidateRecord.content:r${i}`;
const value = (i: number, c: unknown) => ({ recordId: `r${i}`, candidateId: `c${i}`, candidate: c });

let started = performance.now();
const sealed = Array.from({ length: n }, (_, i) => {
  const wrappedKey = createRecordKey({ ring });
  const salt = generateSalt();
  return {
    wrappedKey,
    commitment: commit({ salt, value: value(i, { ...candidate, id: `c${i}` }) }),
    ciphertext: encryptJson({
      ring,
      wrappedKey,
      context: context(i),
      value: { candidate: { ...candidate, id: `c${i}` }, salt },
    }),
  };
});
const sealMs = performance.now() - started;
started = performance.now();
sealed.forEach((r, i) => {
  const s = decryptJson({
    ring,
    wrappedKey: r.wrappedKey,
    ciphertext: r.ciphertext,
    context: context(i),
  }) as {
    candidate: unknown;
    salt: string;
  };
  if (!verifyCommitment({ salt: s.salt, value: value(i, s.candidate), commitment: r.commitment }))
    throw new Error(`record ${i} does not match its commitment`);
});
const openMs = performance.now() - started;
const us = (ms: number) => ((ms / n) * 1000).toFixed(0);
console.log(
  `${n} candidate records: seal ${us(sealMs)} µs each, open and check ${us(openMs)} µs each (${Math.round(openMs)} ms for all)`,
);
