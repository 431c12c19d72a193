import { adminRouter } from "./routers/admin/router";
import { consentRouter } from "./routers/consent/router";
import { custodyRouter } from "./routers/custody/router";
import { ledgerRouter } from "./routers/ledger/router";
import { provenanceRouter } from "./routers/provenance/router";
import { sessionRouter } from "./routers/session/router";
import { systemRouter } from "./routers/system/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** Every router of the portal; the authorisation test walks this tree. */
export const appRouter = createTRPCRouter({
  admin: adminRouter,
  consent: consentRouter,
  custody: custodyRouter,
  ledger: ledgerRouter,
  provenance: provenanceRouter,
  session: sessionRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
