import "server-only";

import { z } from "zod";
import { publicProcedure } from "@/server/api/trpc";
import { registerDonor, ZDonorSignUpSchema } from "@/server/consent/register-donor";
import { REGISTRATION_RECEIVED } from "@/server/consent/registration-notice";
import { limitRegistration } from "@/server/security/rate-limit-policy";

/**
 * Public sign-up as a donor (the page uses the same domain function through a server action).
 * Every sign-up gets the same answer, whether its e-mail or person was registered before, and
 * each address may try only so many (`limitRegistration`).
 */
export const register = publicProcedure
  // Before the input is parsed, so malformed posts count too.
  .use(async ({ ctx, next }) => {
    if (ctx.http) await limitRegistration({ ip: ctx.http.clientIp });
    return next();
  })
  .input(ZDonorSignUpSchema)
  .output(z.object({ message: z.string() }))
  .mutation(async ({ input }) => {
    await registerDonor({ input });
    return { message: REGISTRATION_RECEIVED };
  });
