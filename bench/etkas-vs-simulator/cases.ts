/**
 * A deterministic case set for comparing the portal's Eurotransplant policies with the public
 * ETKidney simulator: donors (under 65 → ETKAS, 65 and over → ESP) and kidney candidates spread
 * over the member countries, in one neutral form both sides read. Centre codes, regions and ESP
 * subregions are the simulator's (geographic_definitions.yml), so "local" means the same on both.
 */

export type TCaseCentre = {
  centre: string;
  country: "AT" | "BE" | "HR" | "DE" | "HU" | "NL" | "SI";
  /** The simulator's region of the centre; the portal's region in AT, BE and DE. */
  simRegion: string;
  espSubregion?: string;
  lat: number;
  lon: number;
};

export type TCaseCandidate = {
  id: string;
  centre: string;
  country: TCaseCentre["country"];
  simRegion: string;
  abo: "O" | "A" | "B" | "AB";
  /** Antigen names per locus (the portal's form); `hla` is the same as one string (the simulator's). */
  typing: { A: string[]; B: string[]; DR: string[] };
  hla: string;
  unacceptableList: string[];
  unacceptable: string;
  dateOfBirth: string;
  listedAt: string;
  dialysisStartedAt: string | null;
  highUrgency: boolean;
  am: boolean;
  screeningValid: boolean;
  antibodyScreenedAt: string;
  kidneyProgramme: "ETKAS" | "ESP" | null;
  /** A re-transplant: days from the failed transplant to dialysis, and dialysis days accrued before it. */
  /** ESP subregion of the centre, given by held-out sets whose centres are not in CENTRES. */
  espSubregion?: string | null;
  retx: {
    transplantedAt: string;
    dialysisResumedAt: string;
    daysSinceTransplant: number;
    accruedDialysisDays: number;
    /** Returned days as the published rule gives them (the simulator takes these as input). */
    returnedDialysisDays: number;
  } | null;
};

export type TCaseDonor = {
  id: string;
  centre: string;
  country: TCaseCentre["country"];
  simRegion: string;
  espSubregion?: string | null;
  /** The simulator's donor ESP centre (looked up in its ESP subregions), when not the donor's centre. */
  simEspCentre?: string;
  ageYears: number;
  abo: "O" | "A" | "B" | "AB";
  dcd: boolean;
  typing: { A: string[]; B: string[]; DR: string[] };
  /** DR51/52/53 the DRB1 antigens carry (typed for donors, as deceased donors are). */
  drb345: string[];
  /** DQ (not ranked on; read by the virtual crossmatch). */
  dq: string[];
  hla: string;
  /**
   * Balance for the donor's age group: net kidneys imported (+) or exported (−) per country, and per
   * Austrian centre (whose sum is Austria's). Luxembourg is a party with no exchanges here.
   */
  balance: { national: Record<string, number>; regional: Record<string, number> };
};

export type TCaseSet = { matchDate: string; donors: TCaseDonor[]; candidates: TCaseCandidate[] };

export const CENTRES: TCaseCentre[] = [
  { centre: "AWGTP", country: "AT", simRegion: "Vienna", lat: 48.21, lon: 16.37 },
  { centre: "AIBTP", country: "AT", simRegion: "AIB", lat: 47.27, lon: 11.39 },
  { centre: "AOETP", country: "AT", simRegion: "Upper Austria", lat: 48.31, lon: 14.29 },
  { centre: "BLMTP", country: "BE", simRegion: "Bel_2", lat: 50.85, lon: 4.35 },
  { centre: "BBCTP", country: "BE", simRegion: "BBC", lat: 50.82, lon: 4.32 },
  { centre: "BLGTP", country: "BE", simRegion: "Bel_1", lat: 51.05, lon: 3.72 },
  { centre: "CZATP", country: "HR", simRegion: "Croatia", lat: 45.81, lon: 15.98 },
  { centre: "GHOTP", country: "DE", simRegion: "GND", espSubregion: "HANNOVER", lat: 52.38, lon: 9.8 },
  { centre: "GHGTP", country: "DE", simRegion: "GND", espSubregion: "HAMBURG", lat: 53.59, lon: 9.98 },
  { centre: "GBETP", country: "DE", simRegion: "GNO", espSubregion: "BERLIN", lat: 52.52, lon: 13.4 },
  { centre: "GMLTP", country: "DE", simRegion: "GBY", espSubregion: "MUNCHEN", lat: 48.14, lon: 11.58 },
  { centre: "GNBTP", country: "DE", simRegion: "GBY", espSubregion: "ERLANGEN", lat: 49.45, lon: 11.08 },
  { centre: "HBSTP", country: "HU", simRegion: "Hungary", espSubregion: "HBS", lat: 47.5, lon: 19.04 },
  { centre: "HSZTP", country: "HU", simRegion: "Hungary", espSubregion: "HSZ", lat: 46.25, lon: 20.15 },
  { centre: "NAMTP", country: "NL", simRegion: "Netherlands", lat: 52.37, lon: 4.9 },
  { centre: "NGRTP", country: "NL", simRegion: "Netherlands", lat: 53.22, lon: 6.57 },
  { centre: "SLOTP", country: "SI", simRegion: "SLO", lat: 46.06, lon: 14.51 },
];

// Splits and broads in common use, roughly by frequency (repeats weight the draw).
const A_POOL = "A1 A1 A2 A2 A2 A3 A3 A11 A23 A24 A24 A25 A26 A29 A30 A31 A32 A33 A68 A69 A9 A10".split(" ");
const B_POOL =
  "B7 B7 B8 B8 B13 B18 B27 B35 B35 B37 B38 B39 B44 B44 B45 B49 B50 B51 B52 B55 B57 B58 B60 B61 B62 B12 B5".split(
    " ",
  );
const DR_POOL =
  "DR1 DR1 DR4 DR4 DR7 DR7 DR8 DR9 DR10 DR11 DR11 DR12 DR13 DR13 DR14 DR15 DR15 DR16 DR17 DR18 DR3".split(
    " ",
  );

/** The DRB3/4/5 product each DRB1 antigen is inherited with (DR52 with DR3, DR5, DR6 families). */
const DRB345_OF: Record<string, string> = {
  DR15: "DR51",
  DR16: "DR51",
  DR3: "DR52",
  DR17: "DR52",
  DR18: "DR52",
  DR11: "DR52",
  DR12: "DR52",
  DR13: "DR52",
  DR14: "DR52",
  DR4: "DR53",
  DR7: "DR53",
  DR9: "DR53",
};

const DQ_POOL = "DQ2 DQ4 DQ5 DQ5 DQ6 DQ6 DQ7 DQ7 DQ8 DQ9".split(" ");

/** Broads in the pools whose splits are in use: candidates may be typed so, donors are not. */
const SPLIT_BROADS = ["A9", "A10", "B12", "B5", "DR3"];

/** mulberry32: a small seeded generator, so the case set is the same on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function generateCases(opts: { seed: number; donors: number; candidates: number }): TCaseSet {
  const r = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const abo = (): TCaseCandidate["abo"] => {
    const x = r();
    return x < 0.44 ? "O" : x < 0.86 ? "A" : x < 0.96 ? "B" : "AB";
  };
  // One antigen or two (a homozygous typing is written with one).
  const locus = (pool: string[]) => {
    const a = pick(pool);
    const b = r() < 0.12 ? a : pick(pool);
    return a === b ? [a] : [a, b];
  };
  const typing = () => ({ A: locus(A_POOL), B: locus(B_POOL), DR: locus(DR_POOL) });
  // Deceased donors are typed at split level (a broad with splits never stands alone).
  const splitOnly = (pool: string[]) => pool.filter((a) => !SPLIT_BROADS.includes(a));
  const donorTyping = () => ({
    A: locus(splitOnly(A_POOL)),
    B: locus(splitOnly(B_POOL)),
    DR: locus(splitOnly(DR_POOL)),
  });
  const hlaString = (t: { A: string[]; B: string[]; DR: string[] }) => [...t.A, ...t.B, ...t.DR].join(" ");
  const now = Date.parse("2026-01-01T00:00:00Z");

  const candidates: TCaseCandidate[] = [];
  for (let i = 0; i < opts.candidates; i++) {
    const c = pick(CENTRES);
    const x = r();
    const ageYears = x < 0.08 ? 2 + r() * 16 : x < 0.65 ? 18 + r() * 47 : 65 + r() * 13;
    const born = now - ageYears * 365.25 * DAY;
    const listed = Math.max(born + 180 * DAY, now - r() * 8 * 365.25 * DAY);
    const dialysis = r() < 0.85 ? Math.max(born + 90 * DAY, now - r() * 10 * 365.25 * DAY) : null;
    const t = typing();
    const unacc: string[] = [];
    if (r() < 0.25) {
      const n = 1 + Math.floor(r() * 4);
      for (let k = 0; k < n; k++) {
        const u = pick([...A_POOL, ...B_POOL, ...DR_POOL, "DR51", "DR52", "DR53", ...DQ_POOL, "DQ3", "DQ1"]);
        if (![...t.A, ...t.B, ...t.DR].includes(u) && !unacc.includes(u)) unacc.push(u);
      }
    }
    const screeningValid = r() < 0.95;
    let retx: TCaseCandidate["retx"] = null;
    if (r() < 0.1) {
      const daysSinceTransplant = Math.floor(r() * 500);
      const transplanted = now - (daysSinceTransplant + 30 + Math.floor(r() * 300)) * DAY;
      const accruedDialysisDays = Math.floor(r() * 6 * 365);
      const fraction =
        daysSinceTransplant <= 91
          ? 1
          : daysSinceTransplant <= 183
            ? 0.75
            : daysSinceTransplant <= 275
              ? 0.5
              : daysSinceTransplant <= 365
                ? 0.25
                : 0;
      retx = {
        transplantedAt: iso(transplanted),
        dialysisResumedAt: iso(transplanted + daysSinceTransplant * DAY),
        daysSinceTransplant,
        accruedDialysisDays,
        returnedDialysisDays: accruedDialysisDays * fraction,
      };
    }
    candidates.push({
      id: `C${String(i + 1).padStart(4, "0")}`,
      centre: c.centre,
      country: c.country,
      simRegion: c.simRegion,
      abo: abo(),
      typing: t,
      hla: hlaString(t),
      unacceptableList: unacc,
      unacceptable: unacc.join(" "),
      dateOfBirth: isoDate(born),
      listedAt: iso(Math.floor(listed / DAY) * DAY),
      dialysisStartedAt: dialysis === null ? null : iso(Math.floor(dialysis / DAY) * DAY),
      highUrgency: r() < 0.02,
      am: r() < 0.03,
      screeningValid,
      antibodyScreenedAt: iso(
        now - (screeningValid ? 10 + Math.floor(r() * 70) : 120 + Math.floor(r() * 200)) * DAY,
      ),
      kidneyProgramme: c.country === "DE" && ageYears >= 65 ? (r() < 0.6 ? "ESP" : "ETKAS") : null,
      retx,
    });
  }

  // A few candidates a day either side of 65 and of 18 (ESP age, paediatric age), where counting
  // years differently would show.
  const edges = [
    "1961-01-01",
    "1960-12-31",
    "1961-01-02",
    "1961-01-03",
    "2008-01-01",
    "2007-12-31",
    "2008-01-02",
  ];
  edges.forEach((dob, i) => {
    const c = candidates[i];
    if (!c) return;
    const born = Date.parse(`${dob}T00:00:00Z`);
    const notBefore = (iso: string | null, days: number) =>
      iso === null
        ? null
        : new Date(Math.max(Date.parse(iso), born + days * DAY)).toISOString().replace(".000Z", "Z");
    c.dateOfBirth = dob;
    c.listedAt = notBefore(c.listedAt, 180) as string;
    c.dialysisStartedAt = notBefore(c.dialysisStartedAt, 90);
    c.kidneyProgramme = c.country === "DE" && dob < "1962" ? "ESP" : c.kidneyProgramme;
  });

  const donors: TCaseDonor[] = [];
  for (let k = 0; k < opts.donors; k++) {
    const c = CENTRES[(k * 7 + 3) % CENTRES.length] as TCaseCentre;
    // Seven in ten under 65 (ETKAS), the rest 65 and over (ESP).
    const ageYears = k % 10 < 7 ? 5 + Math.floor(r() * 59) : 65 + Math.floor(r() * 15);
    const t = donorTyping();
    const drb345 = [...new Set(t.DR.flatMap((a) => DRB345_OF[a] ?? []))];
    const dq = locus(DQ_POOL);
    const net = () => Math.floor(r() * 21) - 10;
    const regional: Record<string, number> = {};
    for (const at of CENTRES.filter((x) => x.country === "AT")) regional[at.centre] = net();
    const national: Record<string, number> = { LU: 0 };
    for (const country of ["BE", "HR", "DE", "HU", "NL", "SI"]) national[country] = net() * 2;
    national.AT = Object.values(regional).reduce((a, b) => a + b, 0);
    donors.push({
      id: `D${String(k + 1).padStart(2, "0")}`,
      centre: c.centre,
      country: c.country,
      simRegion: c.simRegion,
      espSubregion: c.espSubregion,
      ageYears,
      abo: r() < 0.55 ? "O" : "A",
      dcd: k % 10 === 4 || k % 10 === 9,
      typing: t,
      drb345,
      dq,
      hla: [hlaString(t), ...drb345, ...dq].join(" "),
      balance: { national, regional },
    });
  }
  return { matchDate: "2026-01-01T00:00:00", donors, candidates };
}
