import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustodyStream, type TSequenced } from "./custody-stream";

const ev = (organId: string, sequence: number): TSequenced => ({ organId, sequence });
const seqs = (events: TSequenced[]) => events.map((e) => `${e.organId}#${e.sequence}`);

describe("custody stream", () => {
  const cases: Array<{ desc: string; start?: Record<string, number>; input: TSequenced[]; want: string[] }> =
    [
      { desc: "in order", input: [ev("a", 1), ev("a", 2)], want: ["a#1", "a#2"] },
      { desc: "duplicate dropped", input: [ev("a", 1), ev("a", 1), ev("a", 2)], want: ["a#1", "a#2"] },
      { desc: "early event held until the gap fills", input: [ev("a", 2), ev("a", 1)], want: ["a#1", "a#2"] },
      {
        desc: "organs are independent",
        input: [ev("b", 1), ev("a", 2), ev("a", 1)],
        want: ["b#1", "a#1", "a#2"],
      },
      { desc: "already seen from a seed", start: { a: 3 }, input: [ev("a", 3), ev("a", 4)], want: ["a#4"] },
    ];
  for (const c of cases) {
    it(c.desc, () => {
      const stream = createCustodyStream(c.start);
      expect(seqs(c.input.flatMap((e) => stream.push(e)))).toEqual(c.want);
    });
  }

  it("reports gaps and the last sequence per organ", () => {
    const stream = createCustodyStream();
    stream.push(ev("a", 1));
    stream.push(ev("a", 3));
    expect(stream.gaps()).toEqual(["a"]);
    expect(stream.lastSeen()).toEqual({ a: 1 });
  });

  it("delivers every event exactly once in order, whatever the arrival order and repeats", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (noise, n) => {
          const stream = createCustodyStream();
          const arrivals = [
            ...noise.map((s) => ev("x", Math.min(s, n))),
            ...Array.from({ length: n }, (_, i) => ev("x", i + 1)),
          ];
          const out = arrivals.flatMap((e) => stream.push(e)).map((e) => e.sequence);
          expect(out).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        },
      ),
    );
  });
});
