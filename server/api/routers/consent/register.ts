import { z } from "zod";
import { publicProcedure } from "@/server/api/trpc";
import { registerDonor, ZDonorSignUpSchema } from "@/server/consent/register-donor";

/** Public sign-up as a donor (the page uses the same domain function through a server action). */
export const register = publicProcedure
  .input(ZDonorSignUpSchema)
  .output(z.object({ userId: z.string(), donorId: z.string() }))
  .mutation(({ input }) => registerDonor({ input }));
