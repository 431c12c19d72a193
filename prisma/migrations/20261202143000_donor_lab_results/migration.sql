-- CreateTable
CREATE TABLE "DonorLabResult" (
    "id" UUID NOT NULL,
    "donorCaseId" UUID NOT NULL,
    "test" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "recordedById" UUID,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DonorLabResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DonorLabResult_donorCaseId_takenAt_idx" ON "DonorLabResult"("donorCaseId", "takenAt");

-- AddForeignKey
ALTER TABLE "DonorLabResult" ADD CONSTRAINT "DonorLabResult_donorCaseId_fkey" FOREIGN KEY ("donorCaseId") REFERENCES "DonorCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
