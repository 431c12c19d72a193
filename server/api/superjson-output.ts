import superjson, { type SuperJSONResult } from "superjson";

/**
 * superjson's wire format for what procedures return, written in one pass. superjson's own walker
 * copies the path and the ancestors' list at every node and keeps every object in a map for
 * referential equality: on a long answer (an organ's provenance, a hundred steps) it was a tenth of
 * the request's CPU and much of its garbage. What our procedures return is plain data: objects,
 * arrays, strings, finite numbers, booleans, null, undefined and dates. For those this gives what
 * `superjson.serialize` gives (the client's superjson reads it back the same); anything else (a Map,
 * a bigint, NaN, -0, an invalid date, an object reached twice, a class instance) goes to superjson
 * itself, whole.
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const values: Record<string, [TLeaf]> = {};
  let annotated = false;
  const seen = new Set<object>();

  // `path` is null at the root (an empty key is a path too: "").
  const walk = (v: unknown, path: string | null): unknown => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") {
      if (!Number.isFinite(v) || Object.is(v, -0)) throw OTHER;
      return v;
    }
    if (v === undefined) return annotate(path, "undefined", null);
    if (typeof v !== "object") throw OTHER;
    if (seen.has(v)) throw OTHER;
    seen.add(v);
    if (v instanceof Date) {
      const time = v.getTime();
      if (Number.isNaN(time)) throw OTHER;
      return annotate(path, "Date", v.toISOString());
    }
    const prefix = path === null ? "" : `${path}.`;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw OTHER; // a hole: superjson leaves it out of its annotations
        out[i] = walk(v[i], `${prefix}${i}`);
      }
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw OTHER;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (key === "__proto__" || key === "constructor" || key === "prototype") throw OTHER;
      out[key] = walk((v as Record<string, unknown>)[key], `${prefix}${escapeKey(key)}`);
    }
    return out;
  };

  let root: [TLeaf] | null = null;
  const annotate = (path: string | null, type: TLeaf, json: unknown) => {
    if (path === null) root = [type];
    else values[path] = [type];
    annotated = true;
    return json;
  };

  let json: unknown;
  try {
    json = walk(value, null);
  } catch (error) {
    if (error === OTHER) return superjson.serialize(value);
    throw error;
  }
  return annotated
    ? { json: json as SuperJSONResult["json"], meta: { values: root ?? values, v: 1 } }
    : { json: json as SuperJSONResult["json"] };
}

const OTHER = Symbol("not plain data");
type TLeaf = "Date" | "undefined";

// superjson's path syntax: segments joined by dots, a dot or backslash in a key escaped.
const escapeKey = (key: string) =>
  key.includes(".") || key.includes("\\") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key;

/** superjson both ways, with the one-pass writer for answers (see `serializeOutput`). */
export const trpcTransformer = {
  input: superjson,
  output: {
    serialize: serializeOutput,
    deserialize: (v: unknown) => superjson.deserialize(v as SuperJSONResult),
  },
};
