import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { decline } from "./decline";
import { enrol } from "./enrol";
import { enrolmentOptions } from "./enrolment-options";
import { mine } from "./mine";
import { sign } from "./sign";
import { signingOptions } from "./signing-options";

export const passkeyRouter = createTRPCRouter({
  enrolmentOptions,
  enrol,
  mine,
  signingOptions,
  sign,
  decline,
});
