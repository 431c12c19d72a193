-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "wrappedKey" TEXT;

-- AlterTable
ALTER TABLE "MatchRun" ADD COLUMN     "snapshot" JSON;

-- CreateTable
CREATE TABLE "CandidateRecord" (
    "id" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "ciphertext" TEXT,
    "commitment" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CandidateRecord_candidateId_idx" ON "CandidateRecord"("candidateId");

-- An erased candidate keeps no clinical detail in its working row either.
ALTER TABLE "Candidate" ALTER COLUMN "dateOfBirth" DROP NOT NULL,
ALTER COLUMN "sex" DROP NOT NULL,
ALTER COLUMN "heightCm" DROP NOT NULL,
ALTER COLUMN "weightKg" DROP NOT NULL,
ALTER COLUMN "diabetes" DROP NOT NULL;
