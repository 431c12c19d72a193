/** The few FHIR R4 datatypes our builders emit (JSON shapes; the schema validator is the authority). */
export type TCoding = { system?: string; code: string; display?: string };
export type TCodeableConcept = { coding?: TCoding[]; text?: string };
export type TReference = {
  reference?: string;
  type?: string;
  identifier?: TIdentifierValue;
  display?: string;
};
export type TIdentifierValue = { system: string; value: string };
export type TExtension = { url: string; valueString?: string; valueCode?: string };
export type TFhirResource = { resourceType: string; id?: string } & Record<string, unknown>;

/** FHIR `id`: 1–64 of A–Z a–z 0–9 - . ; anything else is replaced so a builder never emits an invalid id. */
export function fhirId(value: string): string {
  return value.replace(/[^A-Za-z0-9\-.]/g, "-").slice(0, 64) || "unknown";
}
