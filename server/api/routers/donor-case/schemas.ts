import "server-only";

import { z } from "zod";

/** An organ of a donor case as the OPO's pages show it. */
export const ZCaseOrganSchema = z.object({
  id: z.string(),
  type: z.string(),
  laterality: z.string().nullable(),
  din: z.string(),
  status: z.string(),
});
