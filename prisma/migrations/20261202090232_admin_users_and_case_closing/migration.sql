-- AlterTable
ALTER TABLE "DonorCase" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "closedNote" TEXT,
ADD COLUMN     "closedReasonCode" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMP(3);
