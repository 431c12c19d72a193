import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EVENT_TYPES, type TEventType } from "./event-types";

/**
 * The permanent ledger holds ids, codes, bounded numbers and commitments only: walk every event
 * type's payload schema and list each field that could carry free text (a string without a format
 * or pattern) or anything unchecked (unknown, any, a record of unknowns).
 */
type TDef = {
  type: string;
  format?: string;
  checks?: Array<{ _zod: { def: { format?: string } } }>;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: TDef } })._zod.def;

function freeFormFields(schema: z.ZodType, path = "payload"): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "string": {
      const formats = [def.format, ...(def.checks ?? []).map((c) => c._zod.def.format)].filter(Boolean);
      return formats.length > 0 ? [] : [`${path} (free-form string)`];
    }
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([k, v]) => freeFormFields(v, `${path}.${k}`));
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      return freeFormFields(def.innerType as z.ZodType, path);
    case "array":
      return freeFormFields(def.element as z.ZodType, `${path}[]`);
    case "union":
      return (def.options ?? []).flatMap((o) => freeFormFields(o, path));
    case "pipe":
      return freeFormFields(def.in as z.ZodType, path);
    case "enum":
    case "literal":
    case "number":
    case "int":
    case "boolean":
    case "bigint":
    case "date":
      return [];
    default:
      return [`${path} (${def.type}: not checked)`];
  }
}

/**
 * Event types whose payloads still carry free text or unchecked detail, and why. Each must leave
 * this list when its payload is versioned onto private notes; the test fails for an entry that is
 * already clean, so the list only shrinks.
 */
const NOT_YET_PRIVATE: Partial<Record<TEventType, string>> = {
  "ledger.test": "test and benchmark events of the ledger itself",
};

describe("ledger payloads carry no personal data", () => {
  it("finds free text where it is", () => {
    const zod = z;
    expect(
      freeFormFields(zod.object({ a: zod.string(), b: zod.uuid(), c: zod.string().regex(/^x$/) })),
    ).toEqual(["payload.a (free-form string)"]);
    expect(freeFormFields(zod.object({ d: zod.record(zod.string(), zod.unknown()) }))).toEqual([
      "payload.d (record: not checked)",
    ]);
  });

  for (const [type, spec] of Object.entries(EVENT_TYPES) as Array<[TEventType, { payload: z.ZodType }]>) {
    const pending = NOT_YET_PRIVATE[type];
    it(`${type}: ${pending ? `still listed (${pending})` : "ids, codes, numbers and commitments only"}`, () => {
      const found = freeFormFields(spec.payload);
      if (pending) expect(found, `${type} is clean now: remove it from NOT_YET_PRIVATE`).not.toEqual([]);
      else expect(found).toEqual([]);
    });
  }
});
