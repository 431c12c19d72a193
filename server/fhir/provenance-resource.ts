import { LOCAL_CODE_SYSTEMS } from "./codes";
import { fhirId, type TFhirResource, type TReference } from "./types";

export type TProvenanceOptions = {
  /** Usually the ledger event id, so the export and the chain refer to the same thing. */
  id: string;
  /** The records this event created or changed, e.g. `{ reference: "Consent/ABCDE…-v2" }`. */
  targets: TReference[];
  /** Server time the event was recorded. */
  recorded: Date;
  /** Time the actor reported, when it differs (a courier's offline checkpoint). */
  occurredAt?: Date;
  activity: "CREATE" | "UPDATE" | "DELETE";
  /** Authenticated actor (e.g. `Practitioner/<userId>`, or `Patient/<id>` for a donor). */
  actor: TReference;
  /** The actor's organisation (`Organization/<id>`). */
  onBehalfOf?: TReference;
  /** Free-text reason (bypass, correction); must not contain health information. */
  reason?: string;
  /** The ledger event and its hash, so a regulator can check this provenance against the chain. */
  ledger?: { eventId: string; hash: string };
};

/**
 * A ledger event as an HL7 FHIR R4 `Provenance`: who (agent, on behalf of which organisation) did
 * what (v3 DataOperation) to which records (target), when. Identity stays in the references.
 */
export function toFhirProvenance(options: TProvenanceOptions): TFhirResource {
  const { ledger } = options;
  return {
    resourceType: "Provenance",
    id: fhirId(options.id),
    ...(ledger
      ? { extension: [{ url: LOCAL_CODE_SYSTEMS.commitmentExtension, valueString: ledger.hash }] }
      : {}),
    target: options.targets,
    ...(options.occurredAt ? { occurredDateTime: options.occurredAt.toISOString() } : {}),
    recorded: options.recorded.toISOString(),
    ...(options.reason ? { reason: [{ text: options.reason }] } : {}),
    activity: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-DataOperation", code: options.activity }],
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
              code: "author",
              display: "Author",
            },
          ],
        },
        who: options.actor,
        ...(options.onBehalfOf ? { onBehalfOf: options.onBehalfOf } : {}),
      },
    ],
    ...(ledger
      ? {
          entity: [
            {
              role: "source",
              what: { identifier: { system: LOCAL_CODE_SYSTEMS.ledgerEvent, value: ledger.eventId } },
            },
          ],
        }
      : {}),
  };
}
