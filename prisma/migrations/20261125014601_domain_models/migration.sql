-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('FIRST_PERSON', 'FAMILY_AUTHORISATION');

-- CreateEnum
CREATE TYPE "ConsentDecision" AS ENUM ('DONATE_ALL', 'DONATE_SELECTED', 'OBJECTION', 'REVOKED');

-- CreateEnum
CREATE TYPE "OrganType" AS ENUM ('KIDNEY', 'LIVER', 'HEART', 'LUNG', 'PANCREAS', 'INTESTINE');

-- CreateEnum
CREATE TYPE "CandidateStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'TRANSPLANTED', 'REMOVED');

-- CreateEnum
CREATE TYPE "DonorCaseStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "OrganStatus" AS ENUM ('AVAILABLE', 'OFFERING', 'ALLOCATED', 'IN_TRANSIT', 'ARRIVED', 'TRANSPLANTED', 'DISCARDED');

-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REFUSED', 'EXPIRED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "Donor" (
    "id" UUID NOT NULL,
    "userId" UUID,
    "identityIndex" TEXT,
    "identityCiphertext" TEXT,
    "wrappedKey" TEXT,
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Donor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentVersion" (
    "id" UUID NOT NULL,
    "donorId" UUID,
    "donorCaseId" UUID,
    "version" INTEGER NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "decision" "ConsentDecision" NOT NULL,
    "contentCiphertext" TEXT,
    "wrappedKey" TEXT,
    "commitment" TEXT NOT NULL,
    "receiptCode" TEXT NOT NULL,
    "ledgerEventId" UUID NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Candidate" (
    "id" UUID NOT NULL,
    "centerId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "organ" "OrganType" NOT NULL,
    "status" "CandidateStatus" NOT NULL DEFAULT 'ACTIVE',
    "abo" TEXT NOT NULL,
    "hla" JSONB NOT NULL,
    "unacceptable" TEXT[],
    "cpra" INTEGER NOT NULL,
    "listedAt" TIMESTAMP(3) NOT NULL,
    "dialysisStartedAt" TIMESTAMP(3),
    "dateOfBirth" DATE NOT NULL,
    "sex" TEXT NOT NULL,
    "heightCm" DOUBLE PRECISION NOT NULL,
    "weightKg" DOUBLE PRECISION NOT NULL,
    "priorLivingDonor" BOOLEAN NOT NULL DEFAULT false,
    "priorTransplants" INTEGER NOT NULL DEFAULT 0,
    "diabetes" BOOLEAN NOT NULL DEFAULT false,
    "urgency" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Candidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CandidateStatusChange" (
    "id" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "from" "CandidateStatus",
    "to" "CandidateStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "byUserId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DonorCase" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "opoId" UUID NOT NULL,
    "status" "DonorCaseStatus" NOT NULL DEFAULT 'OPEN',
    "referralHospital" TEXT NOT NULL,
    "consentVersionId" UUID,
    "donor" JSONB NOT NULL,
    "kdri" DOUBLE PRECISION,
    "kdpi" DOUBLE PRECISION,
    "openedById" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DonorCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organ" (
    "id" UUID NOT NULL,
    "donorCaseId" UUID NOT NULL,
    "type" "OrganType" NOT NULL,
    "laterality" TEXT,
    "din" TEXT NOT NULL,
    "status" "OrganStatus" NOT NULL DEFAULT 'AVAILABLE',
    "acceptedOfferId" UUID,
    "destinationOrgId" UUID,
    "custodianOrgId" UUID,
    "custodianUserId" UUID,
    "custodyState" JSONB,
    "crossClampAt" TIMESTAMP(3),
    "reperfusionAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organ_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchRun" (
    "id" UUID NOT NULL,
    "organId" UUID NOT NULL,
    "policyId" TEXT NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "ranking" JSONB NOT NULL,
    "excluded" JSONB NOT NULL,
    "snapshotHash" TEXT NOT NULL,
    "ledgerEventId" UUID NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" UUID NOT NULL,
    "organId" UUID NOT NULL,
    "matchRunId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "centerId" UUID NOT NULL,
    "rank" INTEGER NOT NULL,
    "status" "OfferStatus" NOT NULL DEFAULT 'PENDING',
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline" TIMESTAMP(3) NOT NULL,
    "respondedAt" TIMESTAMP(3),
    "respondedById" TEXT,
    "refusalReason" TEXT,
    "bypassReason" TEXT,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CandidateAcceptance" (
    "candidateId" UUID NOT NULL,
    "organType" "OrganType" NOT NULL,
    "offerId" UUID NOT NULL,
    "organId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateAcceptance_pkey" PRIMARY KEY ("candidateId","organType")
);

-- CreateTable
CREATE TABLE "CustodyEvent" (
    "id" UUID NOT NULL,
    "organId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "clientEventId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reportedAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorUserId" TEXT NOT NULL,
    "actorOrgId" TEXT,
    "details" JSONB NOT NULL,
    "ledgerEventId" UUID NOT NULL,

    CONSTRAINT "CustodyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Donor_userId_key" ON "Donor"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Donor_identityIndex_key" ON "Donor"("identityIndex");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentVersion_receiptCode_key" ON "ConsentVersion"("receiptCode");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentVersion_donorId_version_key" ON "ConsentVersion"("donorId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentVersion_donorCaseId_version_key" ON "ConsentVersion"("donorCaseId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_code_key" ON "Candidate"("code");

-- CreateIndex
CREATE INDEX "Candidate_organ_status_idx" ON "Candidate"("organ", "status");

-- CreateIndex
CREATE INDEX "Candidate_centerId_idx" ON "Candidate"("centerId");

-- CreateIndex
CREATE INDEX "CandidateStatusChange_candidateId_idx" ON "CandidateStatusChange"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "DonorCase_code_key" ON "DonorCase"("code");

-- CreateIndex
CREATE INDEX "DonorCase_opoId_idx" ON "DonorCase"("opoId");

-- CreateIndex
CREATE UNIQUE INDEX "Organ_din_key" ON "Organ"("din");

-- CreateIndex
CREATE UNIQUE INDEX "Organ_acceptedOfferId_key" ON "Organ"("acceptedOfferId");

-- CreateIndex
CREATE INDEX "Organ_donorCaseId_idx" ON "Organ"("donorCaseId");

-- CreateIndex
CREATE INDEX "Organ_status_idx" ON "Organ"("status");

-- CreateIndex
CREATE INDEX "Organ_destinationOrgId_idx" ON "Organ"("destinationOrgId");

-- CreateIndex
CREATE INDEX "MatchRun_organId_idx" ON "MatchRun"("organId");

-- CreateIndex
CREATE INDEX "Offer_organId_status_idx" ON "Offer"("organId", "status");

-- CreateIndex
CREATE INDEX "Offer_centerId_status_idx" ON "Offer"("centerId", "status");

-- CreateIndex
CREATE INDEX "Offer_status_deadline_idx" ON "Offer"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_matchRunId_candidateId_key" ON "Offer"("matchRunId", "candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "CandidateAcceptance_offerId_key" ON "CandidateAcceptance"("offerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustodyEvent_organId_sequence_key" ON "CustodyEvent"("organId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "CustodyEvent_organId_clientEventId_key" ON "CustodyEvent"("organId", "clientEventId");

-- AddForeignKey
ALTER TABLE "Donor" ADD CONSTRAINT "Donor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentVersion" ADD CONSTRAINT "ConsentVersion_donorId_fkey" FOREIGN KEY ("donorId") REFERENCES "Donor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentVersion" ADD CONSTRAINT "ConsentVersion_donorCaseId_fkey" FOREIGN KEY ("donorCaseId") REFERENCES "DonorCase"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_centerId_fkey" FOREIGN KEY ("centerId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateStatusChange" ADD CONSTRAINT "CandidateStatusChange_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DonorCase" ADD CONSTRAINT "DonorCase_opoId_fkey" FOREIGN KEY ("opoId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DonorCase" ADD CONSTRAINT "DonorCase_consentVersionId_fkey" FOREIGN KEY ("consentVersionId") REFERENCES "ConsentVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organ" ADD CONSTRAINT "Organ_donorCaseId_fkey" FOREIGN KEY ("donorCaseId") REFERENCES "DonorCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatchRun" ADD CONSTRAINT "MatchRun_organId_fkey" FOREIGN KEY ("organId") REFERENCES "Organ"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_organId_fkey" FOREIGN KEY ("organId") REFERENCES "Organ"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_matchRunId_fkey" FOREIGN KEY ("matchRunId") REFERENCES "MatchRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_centerId_fkey" FOREIGN KEY ("centerId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateAcceptance" ADD CONSTRAINT "CandidateAcceptance_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustodyEvent" ADD CONSTRAINT "CustodyEvent_organId_fkey" FOREIGN KEY ("organId") REFERENCES "Organ"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
