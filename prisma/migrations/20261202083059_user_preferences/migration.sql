-- AlterTable
ALTER TABLE "User" ADD COLUMN     "preferences" JSONB;
