-- One consent, one open donor case: two coordinators opening at once cannot both succeed.
-- (A partial index Prisma's schema cannot express; server/allocation/one-case-per-consent.ts.)
CREATE UNIQUE INDEX "DonorCase_open_consent_key" ON "DonorCase"("consentVersionId") WHERE "status" = 'OPEN';
