import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { add } from "./add";
import { erase } from "./erase";
import { history } from "./history";
import { list } from "./list";
import { setStatus } from "./set-status";
import { update } from "./update";

/** A transplant centre's own waiting list (never another centre's). */
export const waitlistRouter = createTRPCRouter({ list, add, update, setStatus, history, erase });
