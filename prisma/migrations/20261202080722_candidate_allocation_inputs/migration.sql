-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "allocation" JSONB;
