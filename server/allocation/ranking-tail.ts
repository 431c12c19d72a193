import type { TRankedTail } from "@/server/matching/engine/rank-candidates";

/**
 * The ranking beyond its stored head, packed for the `MatchRun.rankingTail` column. At 100,000
 * candidates a run ranks tens of thousands; as JSONB that took PostgreSQL longer to parse than the
 * ranking took to compute. Little-endian layout:
 *   "RT1" 0x00 · u16 centres · centres × 16-byte UUID · u32 rows ·
 *   rows × (16-byte candidate UUID · u16 centre index · f64 score · f64 distance in nm)
 * Scores are stored as the engine's exact doubles, so a replay compares them bit for bit.
 */
const MAGIC = Buffer.from("RT1\0", "latin1");
const UUID_BYTES = 16;
const ROW_BYTES = UUID_BYTES + 2 + 8 + 8;

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX["0123456789abcdef".charCodeAt(i)] = i;
  HEX["0123456789ABCDEF".charCodeAt(i)] = i;
}
/** Where each byte's two hex digits sit in the canonical 8-4-4-4-12 form. */
const HEX_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** Writes a UUID's 16 bytes (a hand loop: tens of thousands per run, and no string is built). */
function writeUuid(buf: Buffer, offset: number, id: string) {
  let ok =
    id.length === 36 &&
    id.charCodeAt(8) === 45 &&
    id.charCodeAt(13) === 45 &&
    id.charCodeAt(18) === 45 &&
    id.charCodeAt(23) === 45;
  for (let j = 0; ok && j < 16; j++) {
    const at = HEX_AT[j] as number;
    const hi = HEX[id.charCodeAt(at)] ?? -1;
    const lo = HEX[id.charCodeAt(at + 1)] ?? -1;
    ok = hi >= 0 && lo >= 0;
    buf[offset + j] = (hi << 4) | lo;
  }
  if (!ok) throw new Error(`ranking tail: ${JSON.stringify(id)} is not a UUID`);
}

function readUuid(buf: Buffer, offset: number) {
  const h = buf.toString("hex", offset, offset + UUID_BYTES);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function encodeRankingTail(tail: TRankedTail): Buffer {
  const centres = [...new Set(tail.centreIds)];
  if (centres.length > 0xffff) throw new Error("ranking tail: more than 65,535 centres");
  const centreIndex = new Map(centres.map((c, i) => [c, i]));
  const rows = tail.candidateIds.length;
  const buf = Buffer.allocUnsafe(MAGIC.length + 2 + centres.length * UUID_BYTES + 4 + rows * ROW_BYTES);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = MAGIC.copy(buf, 0);
  view.setUint16(at, centres.length, true);
  at += 2;
  for (const c of centres) {
    writeUuid(buf, at, c);
    at += UUID_BYTES;
  }
  view.setUint32(at, rows, true);
  at += 4;
  for (let i = 0; i < rows; i++, at += ROW_BYTES) {
    writeUuid(buf, at, tail.candidateIds[i] as string);
    view.setUint16(at + UUID_BYTES, centreIndex.get(tail.centreIds[i] as string) as number, true);
    view.setFloat64(at + UUID_BYTES + 2, tail.scores[i] as number, true);
    view.setFloat64(at + UUID_BYTES + 10, tail.distancesNm[i] as number, true);
  }
  return buf;
}

/** How many rows a packed tail holds, read from its header without decoding the rows. */
export function rankingTailLength(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = MAGIC.length + 2 + buf.readUInt16LE(MAGIC.length) * UUID_BYTES;
  return buf.readUInt32LE(at);
}

export function decodeRankingTail(bytes: Uint8Array): TRankedTail {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 6 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error("ranking tail: not in the RT1 format");
  let at = MAGIC.length;
  const centreCount = buf.readUInt16LE(at);
  at += 2;
  const centres: string[] = [];
  for (let i = 0; i < centreCount; i++, at += UUID_BYTES) centres.push(readUuid(buf, at));
  const rows = buf.readUInt32LE(at);
  at += 4;
  if (buf.length !== at + rows * ROW_BYTES)
    throw new Error(`ranking tail: ${buf.length} bytes do not hold ${rows} rows`);
  const tail: TRankedTail = {
    candidateIds: new Array(rows),
    centreIds: new Array(rows),
    scores: new Float64Array(rows),
    distancesNm: new Float64Array(rows),
  };
  for (let i = 0; i < rows; i++, at += ROW_BYTES) {
    tail.candidateIds[i] = readUuid(buf, at);
    tail.centreIds[i] = centres[buf.readUInt16LE(at + UUID_BYTES)] as string;
    tail.scores[i] = buf.readDoubleLE(at + UUID_BYTES + 2);
    tail.distancesNm[i] = buf.readDoubleLE(at + UUID_BYTES + 10);
  }
  return tail;
}
