import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { chainIdentity as chainIdentityFn } from "@/server/chain/chain-identity";

/** Regulators: the chain facts to verify a bundle against elsewhere (chain id, contract, public RPC). */
export const chainIdentity = roleProcedure("REGULATOR", "ADMIN")
  .input(z.void())
  .output(
    z.object({
      chainId: z.string().nullable(),
      contract: z.string().nullable(),
      rpcUrl: z.string().nullable(),
      confirmationsRequired: z.number(),
    }),
  )
  .query(() => chainIdentityFn());
