import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { get } from "./get";
import { replay } from "./replay";
import { run } from "./run";

/** Match runs: OPO coordinators run and read their own; regulators read and replay any. */
export const matchRunRouter = createTRPCRouter({ run, get, replay });
