import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { close } from "./close";
import { eraseNote } from "./erase-note";
import { get } from "./get";
import { list } from "./list";
import { open } from "./open";
import { recordLab } from "./record-lab";

/** Deceased-donor cases of the caller's OPO. */
export const donorCaseRouter = createTRPCRouter({ open, list, get, close, eraseNote, recordLab });
