import type { TIdentifierScheme } from "@/server/consent/identifiers";
import type { TOrgan, TPurpose } from "@/server/consent/organs";

/**
 * Code systems used in FHIR exports. Where a standard code exists and we are sure of it, it is sent
 * beside our local code; the local code is always present so a receiver can round-trip it.
 */
export const LOCAL_SYSTEM_BASE = "https://transplant-provenance.example.org/fhir";
export const LOCAL_CODE_SYSTEMS = {
  organ: `${LOCAL_SYSTEM_BASE}/CodeSystem/organ-tissue`,
  purpose: `${LOCAL_SYSTEM_BASE}/CodeSystem/donation-purpose`,
  consentCategory: `${LOCAL_SYSTEM_BASE}/CodeSystem/consent-category`,
  receiptCode: `${LOCAL_SYSTEM_BASE}/NamingSystem/consent-receipt-code`,
  genericIdentifier: `${LOCAL_SYSTEM_BASE}/NamingSystem/national-identifier`,
  ledgerEvent: `${LOCAL_SYSTEM_BASE}/NamingSystem/ledger-event`,
  restrictionsExtension: `${LOCAL_SYSTEM_BASE}/StructureDefinition/consent-restrictions`,
  witnessExtension: `${LOCAL_SYSTEM_BASE}/StructureDefinition/consent-witness`,
  commitmentExtension: `${LOCAL_SYSTEM_BASE}/StructureDefinition/ledger-commitment`,
} as const;

export const SNOMED = "http://snomed.info/sct";

/** Display text and, where certain, the SNOMED CT body-structure concept for each organ or tissue. */
export const ORGAN_CODES: Record<TOrgan, { display: string; snomed?: { code: string; display: string } }> = {
  KIDNEYS: { display: "Kidneys", snomed: { code: "64033007", display: "Kidney structure" } },
  LIVER: { display: "Liver", snomed: { code: "10200004", display: "Liver structure" } },
  HEART: { display: "Heart", snomed: { code: "80891009", display: "Heart structure" } },
  LUNGS: { display: "Lungs", snomed: { code: "39607008", display: "Lung structure" } },
  PANCREAS: { display: "Pancreas", snomed: { code: "15776009", display: "Pancreatic structure" } },
  INTESTINE: { display: "Intestine", snomed: { code: "113276009", display: "Intestinal structure" } },
  CORNEAS: { display: "Corneas", snomed: { code: "28726007", display: "Corneal structure" } },
  SKIN: { display: "Skin", snomed: { code: "39937001", display: "Skin structure" } },
  BONE: { display: "Bone", snomed: { code: "272673000", display: "Bone structure" } },
  HEART_VALVES: { display: "Heart valves", snomed: { code: "17401000", display: "Heart valve structure" } },
  TENDONS: { display: "Tendons", snomed: { code: "13024002", display: "Tendon structure" } },
  // No SNOMED code: we could not confirm the concept id, and a wrong code is worse than none.
  BLOOD_VESSELS: { display: "Blood vessels" },
};

export const PURPOSE_DISPLAY: Record<TPurpose, string> = {
  TRANSPLANT: "Transplantation",
  RESEARCH: "Research",
  EDUCATION: "Education",
};

/** Identifier systems: the official NamingSystem URIs for NHS number, SSN and BSN. */
export const IDENTIFIER_SYSTEMS: Record<TIdentifierScheme, string> = {
  UK_NHS: "https://fhir.nhs.uk/Id/nhs-number",
  US_SSN: "http://hl7.org/fhir/sid/us-ssn",
  NL_BSN: "http://fhir.nl/fhir/NamingSystem/bsn",
  GENERIC: LOCAL_CODE_SYSTEMS.genericIdentifier,
};
