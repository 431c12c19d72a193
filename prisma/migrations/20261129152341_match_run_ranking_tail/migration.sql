-- AlterTable
ALTER TABLE "MatchRun" ADD COLUMN     "rankingTail" BYTEA,
ALTER COLUMN "ranking" SET DATA TYPE JSON,
ALTER COLUMN "excluded" SET DATA TYPE JSON;

-- Packed UUIDs and doubles do not compress: store them out of line without trying.
ALTER TABLE "MatchRun" ALTER COLUMN "rankingTail" SET STORAGE EXTERNAL;
