import fc from "fast-check";

/**
 * Values an attacker or a broken client sends: huge and empty strings, NUL and control characters,
 * right-to-left overrides, SQL and script fragments, path tricks, NaN, ±Infinity, negative counts,
 * dates out of range, wrong types and prototype keys.
 */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "A".repeat(100_000),
  "' OR '1'='1' --",
  `'; DROP TABLE "LedgerEvent"; --`,
  "<script>window.__xss=1</script>",
  `"><img src=x onerror=window.__xss=1>`,
  "javascript:alert(1)",
  "\u0000",
  "nul\u0000inside",
  "\u202eevil\u202c",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🫀🧊 ﷽ \ud800",
  "../../../../etc/passwd",
  "%00%27%22",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literally
  "${7*7}{{7*7}}",
  "__proto__",
  "NaN",
  "-1",
  "1e309",
  "9999-12-31T23:59:59.999Z",
  "+275760-09-13T00:00:00.000Z",
  "0000-00-00",
  // Boundary dates the probing of issue #15 found 500s with: year 0, before 1900, far future.
  "0000-01-01",
  "0000-01-01T00:00:00Z",
  "1899-12-31",
  "2999-12-31",
  // Percent-encoded garbage (a truncated UTF-8 sequence) and a huge integer as text.
  "%E0%A4%A",
  "99999999999",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-4fff-bfff-ffffffffffff",
] as const;

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const hostileNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0,
  0,
  0.5,
  2 ** 31,
  Number.MAX_SAFE_INTEGER + 2,
  99_999_999_999,
  -99_999_999_999,
  1e308,
);

/** Any value at all, weighted towards the hostile ones. */
export const hostileAnything: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileNumber, weight: 2 },
  {
    arbitrary: fc.constantFrom(undefined, null, true, [], {}, new Date(Number.NaN), new Date(8.64e15)),
    weight: 2,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
  { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
);

type TZodDef = { type: string; [k: string]: unknown };
const defOf = (schema: unknown): TZodDef | undefined => (schema as { _zod?: { def: TZodDef } })?._zod?.def;
type TCheck = { check?: string; format?: string; minimum?: number; maximum?: number; value?: number };
const checksOf = (def: TZodDef): TCheck[] =>
  ((def.checks as Array<{ _zod?: { def: TCheck } }> | undefined) ?? []).map((c) => c._zod?.def ?? {});
const bound = (def: TZodDef, check: string, key: "minimum" | "maximum" | "value") =>
  checksOf(def).find((c) => c.check === check)?.[key];

const formatOf = (def: TZodDef): string | undefined =>
  (def.format as string | undefined) ??
  (def.checks as Array<{ _zod: { def: { format?: string } } }> | undefined)
    ?.map((c) => c._zod?.def?.format)
    .find(Boolean);

/**
 * Values shaped like `schema` (a zod 4 schema) where each part is sometimes valid and sometimes
 * hostile, so refusals are tested deep in the domain code and not only at validation. `known`
 * holds ids and codes of real rows, so some calls reach real records.
 */
export function hostileFor(schema: unknown, known: readonly string[] = [], depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 4) return hostileAnything;
  const shaped = shapedFor(def, known, depth);
  // Mostly well-typed, so a call often gets past validation with one hostile part deep inside.
  return fc.oneof({ arbitrary: shaped, weight: 8 }, { arbitrary: hostileAnything, weight: 1 });
}

function shapedFor(def: TZodDef, known: readonly string[], depth: number): fc.Arbitrary<unknown> {
  const inner = (s: unknown) => hostileFor(s, known, depth + 1);
  const knownIds = known.length ? [fc.constantFrom(...known)] : [];
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      if (!keys.length) return fc.constant({});
      // Every key present or missing; sometimes an unexpected extra key.
      return fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, inner(shape[k])])), { requiredKeys: [] }),
          fc.option(
            fc.tuple(fc.constantFrom("__proto__", "constructor", "id", "role", "extra"), hostileAnything),
          ),
        )
        .map(([obj, extra]) => (extra ? { ...obj, [extra[0]]: extra[1] } : obj));
    }
    case "string": {
      const format = formatOf(def);
      const valid =
        format === "uuid" || format === "guid"
          ? fc.uuid()
          : format === "email"
            ? fc.emailAddress()
            : format === "datetime" || format === "date"
              ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
              : stringWithin(def);
      return fc.oneof(
        { arbitrary: valid, weight: 5 },
        { arbitrary: hostileString, weight: 2 },
        ...knownIds.map((k) => ({ arbitrary: k, weight: 2 })),
      );
    }
    case "number":
    case "bigint": {
      const min = bound(def, "greater_than", "value") ?? -1e6;
      const max = bound(def, "less_than", "value") ?? 1e6;
      return fc.oneof(
        {
          arbitrary: fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) }),
          weight: 4,
        },
        { arbitrary: fc.oneof(fc.integer(), fc.double(), hostileNumber), weight: 2 },
      );
    }
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("true", 1, null));
    case "date":
      return fc.oneof(
        fc.date(),
        fc.constantFrom("9999-12-31", "+275760-09-13T00:00:00.000Z", "yesterday", 8.64e15 + 1, -1),
      );
    case "enum":
      return fc.oneof(
        fc.constantFrom(...Object.values(def.entries as Record<string, string>)),
        hostileString,
      );
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "array": {
      const minLength = bound(def, "min_length", "minimum") ?? 0;
      return fc.array(inner(def.element), { minLength, maxLength: Math.max(minLength, 4) });
    }
    case "record":
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), hostileString), hostileAnything, {
        maxKeys: 4,
      });
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return fc.oneof(fc.constantFrom(undefined, null), inner(def.innerType));
    case "union":
      return fc.oneof(...(def.options as unknown[]).map(inner));
    case "intersection":
      return fc.oneof(inner(def.left), inner(def.right));
    case "pipe":
      return inner(def.in);
    case "lazy":
      return hostileAnything;
    default:
      return hostileAnything;
  }
}

/** A plain string within the schema's length bounds (most fields have a minimum and maximum). */
function stringWithin(def: TZodDef): fc.Arbitrary<string> {
  const minLength = bound(def, "min_length", "minimum") ?? 0;
  const maxLength = Math.min(bound(def, "max_length", "maximum") ?? 60, minLength + 60);
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: "grapheme" });
}
