import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TRankedTail } from "@/server/matching/engine/rank-candidates";
import { decodeRankingTail, encodeRankingTail } from "./ranking-tail";

function tailOf(rows: number, centres = 3): TRankedTail {
  const centreIds = Array.from({ length: centres }, () => randomUUID());
  return {
    candidateIds: Array.from({ length: rows }, () => randomUUID()),
    centreIds: Array.from({ length: rows }, (_, i) => centreIds[i % centres] as string),
    scores: Float64Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? -0.1 / (i + 3) : Math.PI / (i + 1))),
    distancesNm: Float64Array.from({ length: rows }, (_, i) => i * 1.37),
  };
}

const plain = (t: TRankedTail) => ({ ...t, scores: [...t.scores], distancesNm: [...t.distancesNm] });

describe("ranking tail packing", () => {
  it("gives back every row exactly: ids, centres, and the engine's doubles bit for bit", () => {
    const tail = tailOf(1000);
    const bytes = encodeRankingTail(tail);
    expect(bytes.length).toBe(4 + 2 + 3 * 16 + 4 + 1000 * 34);
    expect(plain(decodeRankingTail(new Uint8Array(bytes)))).toEqual(plain(tail));
  });

  it("packs an empty tail, and reads ids back in PostgreSQL's lower-case form", () => {
    expect(plain(decodeRankingTail(encodeRankingTail(tailOf(0, 0))))).toEqual(plain(tailOf(0, 0)));
    const tail = tailOf(1, 1);
    const upper = { ...tail, candidateIds: tail.candidateIds.map((id) => id.toUpperCase()) };
    expect(decodeRankingTail(encodeRankingTail(upper)).candidateIds).toEqual(tail.candidateIds);
  });

  it("refuses an id that is not a UUID, naming it, and bytes that are not a tail", () => {
    const tail = tailOf(2);
    for (const bad of [
      "not-a-uuid",
      `${tail.candidateIds[0]?.slice(0, 35)}g`,
      `x${tail.candidateIds[0]?.slice(1)}`,
    ]) {
      expect(() => encodeRankingTail({ ...tail, candidateIds: [bad, bad] })).toThrow(
        `ranking tail: ${JSON.stringify(bad)} is not a UUID`,
      );
    }
    const bytes = encodeRankingTail(tail);
    expect(() => decodeRankingTail(bytes.subarray(0, bytes.length - 1))).toThrow(/do not hold 2 rows/);
    expect(() => decodeRankingTail(Buffer.from("{}"))).toThrow(/not in the RT1 format/);
  });
});
