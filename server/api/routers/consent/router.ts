import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { accessHistory } from "./access-history";
import { erase } from "./erase";
import { exportFhir } from "./export-fhir";
import { myAccessHistory } from "./my-access-history";
import { myReceipt } from "./my-receipt";
import { myRegistration } from "./my-registration";
import { recordDecision } from "./record-decision";
import { recordFamilyAuthorisation } from "./record-family-authorisation";
import { register } from "./register";
import { registrantHistory } from "./registrant-history";
import { revoke } from "./revoke";
import { search } from "./search";
import { verifyReceipt } from "./verify-receipt";

export const consentRouter = createTRPCRouter({
  accessHistory,
  erase,
  exportFhir,
  myAccessHistory,
  myReceipt,
  myRegistration,
  recordDecision,
  recordFamilyAuthorisation,
  register,
  registrantHistory,
  revoke,
  search,
  verifyReceipt,
});
