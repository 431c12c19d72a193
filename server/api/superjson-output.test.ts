import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializeOutput, trpcTransformer } from "./superjson-output";

/** A small deterministic generator (mulberry32), so a failure names the seed that found it. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["id", "at", "a.b", "back\\slash", "x\\.y", "0", "12", "", "steps", "a\\", ".lead", "trail."];

/** Plain data as procedures return it: objects, arrays, strings, numbers, booleans, null, undefined, dates. */
function plainValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 7 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return `s${Math.floor(next() * 100)}`;
    case 3:
      return Math.floor(next() * 2000) - 1000 + (next() < 0.3 ? 0.5 : 0);
    case 4:
      return next() < 0.5;
    case 5:
    case 6:
      return new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 1e10));
    case 7:
      return Array.from({ length: Math.floor(next() * 4) }, () => plainValue(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--)
        out[KEYS[Math.floor(next() * KEYS.length)] as string] = plainValue(next, depth + 1);
      return out;
    }
  }
}

describe("serializeOutput: superjson's wire format in one pass", () => {
  it("gives exactly what superjson.serialize gives for 5,000 random plain values, and reads back the same", () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const value = plainValue(random(seed), 0);
      const ours = serializeOutput(value);
      expect(ours, `seed ${seed}`).toStrictEqual(superjson.serialize(value));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(ours))), `seed ${seed}`).toStrictEqual(value);
    }
  });

  it("an answer like the provenance page's: dates deep in a list, annotated by path", () => {
    const value = {
      steps: [
        {
          at: new Date("2026-12-03T10:00:00Z"),
          facts: [{ label: "Temperature", value: "4 °C" }],
          note: undefined,
        },
        { at: new Date("2026-12-03T11:00:00Z"), facts: [], note: "x" },
      ],
      chainReadAt: null,
    };
    const ours = serializeOutput(value);
    expect(ours).toStrictEqual(superjson.serialize(value));
    expect(ours.meta?.values).toStrictEqual({
      "steps.0.at": ["Date"],
      "steps.0.note": ["undefined"],
      "steps.1.at": ["Date"],
    });
  });

  it("a date, undefined or a primitive at the root", () => {
    for (const value of [new Date("2026-01-01T00:00:00Z"), undefined, null, "text", 42, true, [], {}])
      expect(serializeOutput(value)).toStrictEqual(superjson.serialize(value));
  });

  it("leaves what is not plain data to superjson whole: the result is superjson's", () => {
    const shared = { id: "same object twice" };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    class Row {
      id = 1;
    }
    const others: unknown[] = [
      { m: new Map([["k", 1]]) },
      { s: new Set([1, 2]) },
      { n: 10n },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { n: -0 },
      { d: new Date(Number.NaN) },
      { a: shared, b: shared },
      [shared, { list: [shared] }],
      cyclic,
      { row: new Row() },
      { r: /x/g },
      { u: new URL("https://example.org/") },
      // biome-ignore lint/suspicious/noSparseArray: a hole is what this case is about
      [1, , 3],
    ];
    for (const value of others) expect(serializeOutput(value)).toStrictEqual(superjson.serialize(value));
  });

  it("refuses a prototype-polluting key as superjson does", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}');
    expect(() => serializeOutput(value)).toThrow(/prototype pollution/);
  });

  it("the transformer reads requests and its own answers with superjson", () => {
    const value = { at: new Date("2026-12-03T10:00:00Z"), list: [undefined, 1] };
    expect(trpcTransformer.output.deserialize(trpcTransformer.output.serialize(value))).toStrictEqual(value);
    expect(trpcTransformer.input.deserialize(superjson.serialize(value))).toStrictEqual(value);
  });
});
