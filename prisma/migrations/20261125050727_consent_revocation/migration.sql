-- AlterTable
ALTER TABLE "ConsentVersion" ADD COLUMN     "revocationEventId" UUID,
ADD COLUMN     "revokedAt" TIMESTAMP(3),
ALTER COLUMN "decision" DROP NOT NULL;
