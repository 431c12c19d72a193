/**
 * Eurotransplant reference data as the public ETKidney simulator carries it
 * (github.com/hansdeferrante/Eurotransplant_ETKidney_simulator, simulator/magic_values/ and
 * sim_yamls/templates/CurrentETKAS_actual.yml). Facts, copied as data; the code that reads them is ours.
 */

/** Member countries (ISO 3166 alpha-2); Luxembourg is a balance party of its own, listed in Belgium. */
export const ET_COUNTRIES = ["AT", "BE", "HR", "DE", "HU", "NL", "SI", "LU"] as const;

/** Countries whose "local" is the donor's region (COUNTRIES_WITH_REGIONS); elsewhere the country. */
export const ET_REGIONAL_COUNTRIES = ["AT", "BE", "DE"];

/** Countries that accept kidneys from DCD donors (DCD_ACCEPTING_COUNTRIES). */
export const ET_DCD_COUNTRIES = ["NL", "AT", "BE"];

/** Countries with a regional (per-centre) balance (COUNTRIES_REGIONAL_BALANCES). */
export const ET_REGIONAL_BALANCE_COUNTRIES = ["AT"];

/**
 * How Eurotransplant counts HLA mismatches: A and B at broad level, DR at split level, with DR17 and
 * DR18 read as DR3 (UNSPLITTABLES) and the associated antigens read as the split the ETRL match
 * table gives them (A203 → A2, B5102 → B51, DR1403 → DR14, …).
 */
export const ET_HLA_COUNTING = {
  levels: { A: "broad", B: "broad", DR: "split" },
  sameAs: {
    A203: "A2",
    A210: "A2",
    A2403: "A24",
    B703: "B7",
    B2708: "B27",
    B3901: "B39",
    B3902: "B39",
    B4005: "B40",
    B5102: "B51",
    B5103: "B51",
    DR103: "DR1",
    DR1403: "DR14",
    DR1404: "DR14",
    DR17: "DR3",
    DR18: "DR3",
  },
} as const;

/**
 * Antigen and blood-group frequencies of the 1994 mismatch-probability formula
 * (allele_frequencies_split.yaml: A and B broads, DR splits; bg_frequencies.yaml), 1000 donors,
 * 1e-4 for an antigen the table lacks.
 */
export const ET_MMP_TABLES = {
  hlaFrequencies: {
    A: {
      A1: 0.1533,
      A10: 0.05585,
      A11: 0.05915,
      A19: 0.12475,
      A2: 0.2915,
      A28: 0.0468,
      A3: 0.1493,
      A36: 0.00095,
      A80: 0.00015,
      A9: 0.11825,
    },
    B: {
      B12: 0.11945,
      B13: 0.0283,
      B14: 0.0244,
      B15: 0.07705,
      B16: 0.0458,
      B17: 0.04435,
      B18: 0.05065,
      B21: 0.02385,
      B22: 0.02595,
      B27: 0.04335,
      B35: 0.1006,
      B37: 0.01285,
      B40: 0.0694,
      B41: 0.011,
      B42: 0.00095,
      B46: 0.00045,
      B47: 0.0034,
      B48: 0.00095,
      B5: 0.07845,
      B53: 0.0041,
      B67: 5.0e-5,
      B7: 0.125,
      B70: 0.0046,
      B73: 0.00075,
      B8: 0.10405,
      B81: 0.0002,
      B82: 5.0e-5,
    },
    DR: {
      DR1: 0.10893267980394118,
      DR10: 0.010053015904771432,
      DR11: 0.11528458537561269,
      DR12: 0.02335700710213064,
      DR13: 0.13173952185655696,
      DR14: 0.033059917975392615,
      DR15: 0.1356406922076623,
      DR16: 0.02875862758827648,
      DR3: 0.11933580074022207,
      DR4: 0.13449034710413124,
      DR7: 0.11438431529458838,
      DR8: 0.03351005301590477,
      DR9: 0.011453436030809243,
    },
  },
  unknownFrequency: 1e-4,
  bloodGroupFrequencies: { A: 0.4174, AB: 0.0416, B: 0.1148, O: 0.44 },
  donors: 1000,
};

/** Returned dialysis time for a re-transplant, by days from the transplant to dialysis (rules.py). */
export const ET_RETURNED_DIALYSIS = [
  { withinDays: 91, fraction: 1 },
  { withinDays: 183, fraction: 0.75 },
  { withinDays: 275, fraction: 0.5 },
  { withinDays: 365, fraction: 0.25 },
];

/** Points per year on dialysis (33.333333 in the simulator's POINTS_ETKAS and POINTS_ESP). */
export const ET_POINTS_PER_DIALYSIS_YEAR = 33.333333;

/** Donor age from which ESP allocates (DONOR_AGE_ESP_ELIGIBLE) and candidates are ESP-aged. */
export const ESP_AGE = 65;

/** Days an antibody screening stays valid: Eurotransplant asks centres for a serum every quarter. */
export const ET_SCREENING_VALID_DAYS = 90;
