import { z } from "zod";

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || (xs[i - 1] as number) <= x);

/**
 * KDRI/KDPI reference data, versioned: the coefficients, the yearly scaling factor and the KDPI
 * mapping table (100 ascending upper bounds of scaled KDRI for KDPI 0–99; above the last, 100).
 */
export const ZKdriPolicySchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  /** Where the numbers come from; says so when a table is synthetic. */
  source: z.string().min(1),
  coefficients: z.object({
    age: z.number(),
    ageUnder18: z.number(),
    ageOver50: z.number(),
    heightPer10Cm: z.number(),
    weightUnder80Per5Kg: z.number(),
    hypertension: z.number(),
    diabetes: z.number(),
    causeOfDeathStroke: z.number(),
    creatinine: z.number(),
    creatinineOver1_5: z.number(),
    hcv: z.number(),
    dcd: z.number(),
  }),
  scalingFactor: z.number().positive(),
  kdpiUpperBounds: z.array(z.number().positive()).length(100).refine(ascending, "must be ascending"),
});
export type TKdriPolicy = z.infer<typeof ZKdriPolicySchema>;

/**
 * Rao et al. (Transplantation 2009) coefficients without the race term. The scaling factor and the
 * mapping table are SYNTHETIC (log-normal around a median scaled KDRI of 1.0, σ 0.32), plausible
 * in shape only: replace them with the year's published OPTN values before any real use.
 */
export const KDRI_POLICY_RAO_SYNTHETIC_2024: TKdriPolicy = ZKdriPolicySchema.parse({
  id: "kdri-rao-no-race-synthetic",
  version: 1,
  source: "Rao 2009 coefficients (race term dropped); scaling factor and KDPI table synthetic",
  coefficients: {
    age: 0.0128,
    ageUnder18: -0.0194,
    ageOver50: 0.0107,
    heightPer10Cm: -0.0464,
    weightUnder80Per5Kg: -0.0199,
    hypertension: 0.126,
    diabetes: 0.13,
    causeOfDeathStroke: 0.0881,
    creatinine: 0.22,
    creatinineOver1_5: -0.209,
    hcv: 0.24,
    dcd: 0.133,
  },
  scalingFactor: 1.4,
  kdpiUpperBounds: [
    0.4381, 0.4987, 0.5334, 0.5592, 0.5804, 0.5987, 0.615, 0.6298, 0.6435, 0.6563, 0.6683, 0.6798, 0.6907,
    0.7012, 0.7113, 0.7211, 0.7306, 0.7399, 0.749, 0.7578, 0.7665, 0.775, 0.7834, 0.7917, 0.7998, 0.8079,
    0.8158, 0.8237, 0.8316, 0.8393, 0.8471, 0.8547, 0.8624, 0.87, 0.8776, 0.8851, 0.8927, 0.9002, 0.9078,
    0.9153, 0.9229, 0.9305, 0.938, 0.9457, 0.9533, 0.961, 0.9687, 0.9764, 0.9842, 0.9921, 1.0, 1.008, 1.016,
    1.0241, 1.0323, 1.0406, 1.049, 1.0575, 1.066, 1.0747, 1.0836, 1.0925, 1.1016, 1.1108, 1.1202, 1.1298,
    1.1395, 1.1495, 1.1596, 1.17, 1.1806, 1.1914, 1.2025, 1.214, 1.2257, 1.2378, 1.2503, 1.2632, 1.2765,
    1.2903, 1.3047, 1.3196, 1.3352, 1.3515, 1.3687, 1.3867, 1.4058, 1.4261, 1.4478, 1.4711, 1.4963, 1.5237,
    1.554, 1.5878, 1.626, 1.6703, 1.7229, 1.7883, 1.8749, 2.0051,
  ],
});

/** EPTS mapping data: 100 ascending upper bounds of raw EPTS for EPTS 0–99 %. */
export const ZEptsPolicySchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  source: z.string().min(1),
  upperBounds: z.array(z.number().min(0)).length(100).refine(ascending, "must be ascending"),
});
export type TEptsPolicy = z.infer<typeof ZEptsPolicySchema>;

/** SYNTHETIC EPTS mapping table (normal around raw 1.95, σ 0.8, floored at 0): shape only. */
export const EPTS_POLICY_SYNTHETIC_2024: TEptsPolicy = ZEptsPolicySchema.parse({
  id: "epts-synthetic",
  version: 1,
  source: "synthetic mapping table; replace with the year's published OPTN table",
  upperBounds: [
    0, 0.2108, 0.3786, 0.4969, 0.5899, 0.6675, 0.7346, 0.7942, 0.8479, 0.8971, 0.9426, 0.985, 1.0249, 1.0626,
    1.0984, 1.1327, 1.1654, 1.1969, 1.2273, 1.2567, 1.2852, 1.3128, 1.3397, 1.3659, 1.3916, 1.4166, 1.4412,
    1.4652, 1.4889, 1.5121, 1.535, 1.5576, 1.5798, 1.6018, 1.6235, 1.6449, 1.6662, 1.6872, 1.7081, 1.7288,
    1.7494, 1.7698, 1.7901, 1.8103, 1.8304, 1.8505, 1.8705, 1.8904, 1.9103, 1.9301, 1.95, 1.9699, 1.9897,
    2.0096, 2.0295, 2.0495, 2.0696, 2.0897, 2.1099, 2.1302, 2.1506, 2.1712, 2.1919, 2.2128, 2.2338, 2.2551,
    2.2765, 2.2982, 2.3202, 2.3424, 2.365, 2.3879, 2.4111, 2.4348, 2.4588, 2.4834, 2.5084, 2.5341, 2.5603,
    2.5872, 2.6148, 2.6433, 2.6727, 2.7031, 2.7346, 2.7673, 2.8016, 2.8374, 2.8751, 2.915, 2.9574, 3.0029,
    3.0521, 3.1058, 3.1654, 3.2325, 3.3101, 3.4031, 3.5214, 3.6892,
  ],
});
