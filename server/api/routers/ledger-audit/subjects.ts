import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { describeSubjects } from "@/server/regulator/describe-subjects";

/** Regulators (and admins): audit subjects named as people know them (organ number, case code), with links. */
export const subjects = roleProcedure("REGULATOR", "ADMIN")
  .input(
    z.object({
      subjects: z
        .array(z.string().max(200, "a subject is at most 200 characters"))
        .max(500, "at most 500 subjects at once (an audit lists 500 findings)"),
    }),
  )
  .output(z.array(z.object({ subject: z.string(), label: z.string(), href: z.string().nullable() })))
  .query(({ input }) => describeSubjects(input.subjects));
