/** Inputs of the raw EPTS score (kidney candidate's expected post-transplant survival). */
export type TEptsInputs = {
  ageYears: number;
  diabetes: boolean;
  priorTransplant: boolean;
  /** Years on dialysis, or null when the candidate is not on dialysis. */
  dialysisYears: number | null;
};

/**
 * Raw EPTS (lower means longer expected survival):
 * 0.047·max(age−25,0) − 0.015·DM·max(age−25,0) + 0.398·priorTx − 0.237·DM·priorTx
 * + 0.315·ln(dialysis years+1) − 0.099·DM·ln(dialysis years+1) + 0.130·[no dialysis]
 * − 0.348·DM·[no dialysis] + 1.262·DM.
 */
export function eptsRaw(x: TEptsInputs): number {
  const dm = x.diabetes ? 1 : 0;
  const age = Math.max(x.ageYears - 25, 0);
  const tx = x.priorTransplant ? 1 : 0;
  const onDialysis = x.dialysisYears !== null;
  const lnDial = onDialysis ? Math.log(Math.max(0, x.dialysisYears as number) + 1) : 0;
  const noDial = onDialysis ? 0 : 1;
  return (
    0.047 * age -
    0.015 * dm * age +
    0.398 * tx -
    0.237 * dm * tx +
    0.315 * lnDial -
    0.099 * dm * lnDial +
    0.13 * noDial -
    0.348 * dm * noDial +
    1.262 * dm
  );
}

/**
 * Percentile (0–100) of a raw score in a mapping table of 100 ascending upper bounds: the first
 * index whose bound is ≥ the score; above the last bound, 100. Used for EPTS and KDPI.
 * Precondition: `upperBounds` ascending (the policy schemas check it).
 */
export function percentileFromTable(score: number, upperBounds: readonly number[]): number {
  let lo = 0;
  let hi = upperBounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((upperBounds[mid] as number) >= score) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
