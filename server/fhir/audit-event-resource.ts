import { fhirId, type TFhirResource, type TReference } from "./types";

const DCM = "http://dicom.nema.org/resources/ontology/DCM";

export type TAuditEventOptions = {
  id: string;
  /** C create, R read, U update, D delete, E execute (a search is E in FHIR's own RESTful audit). */
  action: "C" | "R" | "U" | "D" | "E";
  /** The RESTful interaction, e.g. `read` or `search-type`. */
  interaction?: "read" | "vread" | "search-type" | "create" | "update" | "delete";
  recorded: Date;
  /** 0 success, 4 minor failure, 8 serious failure (refused), 12 major failure. */
  outcome?: "0" | "4" | "8" | "12";
  /** Authenticated staff member or donor. */
  actor: TReference;
  onBehalfOf?: TReference;
  /** The reason the actor gave (required for registry searches). */
  reason?: string;
  /** The person whose record was read; as a reference, never the identifier that was searched. */
  patient?: TReference;
  /** Other records touched (a Consent version). */
  records?: TReference[];
  /** The system that recorded the event. */
  observer?: TReference;
};

/**
 * A staff access or action as an HL7 FHIR R4 `AuditEvent` (DICOM 110110 "Patient Record"). The
 * searched identifier is never included — a blind-index search has nothing to show and a clear
 * one would leak the identity this audit exists to protect.
 */
export function toFhirAuditEvent(options: TAuditEventOptions): TFhirResource {
  const entity = [
    ...(options.patient
      ? [
          {
            what: options.patient,
            type: {
              system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
              code: "1",
              display: "Person",
            },
            role: {
              system: "http://terminology.hl7.org/CodeSystem/object-role",
              code: "1",
              display: "Patient",
            },
          },
        ]
      : []),
    ...(options.records ?? []).map((what) => ({
      what,
      type: {
        system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
        code: "2",
        display: "System Object",
      },
    })),
  ];
  return {
    resourceType: "AuditEvent",
    id: fhirId(options.id),
    type: { system: DCM, code: "110110", display: "Patient Record" },
    ...(options.interaction
      ? { subtype: [{ system: "http://hl7.org/fhir/restful-interaction", code: options.interaction }] }
      : {}),
    action: options.action,
    recorded: options.recorded.toISOString(),
    outcome: options.outcome ?? "0",
    ...(options.reason ? { purposeOfEvent: [{ text: options.reason }] } : {}),
    agent: [
      { who: options.actor, requestor: true },
      // R4 agents have no onBehalfOf: the organisation is an agent of its own that did not ask.
      ...(options.onBehalfOf ? [{ who: options.onBehalfOf, requestor: false }] : []),
    ],
    source: { observer: options.observer ?? { display: "Transplant provenance portal" } },
    ...(entity.length ? { entity } : {}),
  };
}
