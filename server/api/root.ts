import "server-only";

import { adminRouter } from "./routers/admin/router";
import { consentRouter } from "./routers/consent/router";
import { custodyRouter } from "./routers/custody/router";
import { donorCaseRouter } from "./routers/donor-case/router";
import { ledgerRouter } from "./routers/ledger/router";
import { ledgerAuditRouter } from "./routers/ledger-audit/router";
import { matchRunRouter } from "./routers/match-run/router";
import { offerRouter } from "./routers/offer/router";
import { passkeyRouter } from "./routers/passkey/router";
import { preferencesRouter } from "./routers/preferences/router";
import { provenanceRouter } from "./routers/provenance/router";
import { regulatorReportsRouter } from "./routers/regulator-reports/router";
import { sessionRouter } from "./routers/session/router";
import { systemRouter } from "./routers/system/router";
import { waitlistRouter } from "./routers/waitlist/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** Every router of the portal; the authorisation test walks this tree. */
export const appRouter = createTRPCRouter({
  admin: adminRouter,
  consent: consentRouter,
  custody: custodyRouter,
  donorCase: donorCaseRouter,
  ledger: ledgerRouter,
  ledgerAudit: ledgerAuditRouter,
  matchRun: matchRunRouter,
  offer: offerRouter,
  passkey: passkeyRouter,
  preferences: preferencesRouter,
  provenance: provenanceRouter,
  regulatorReports: regulatorReportsRouter,
  session: sessionRouter,
  system: systemRouter,
  waitlist: waitlistRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
