-- AlterTable
ALTER TABLE "AnchorBatch" ADD COLUMN     "leafFormat" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "AnchorLeaf" ADD COLUMN     "hash" TEXT;

-- AlterTable
ALTER TABLE "LedgerEvent" ADD COLUMN     "signature" TEXT,
ADD COLUMN     "signedBy" TEXT;

-- CreateTable
CREATE TABLE "AnchorHead" (
    "batchId" INTEGER NOT NULL,
    "leafIndex" INTEGER NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AnchorHead_pkey" PRIMARY KEY ("batchId","leafIndex")
);

-- CreateIndex
CREATE INDEX "AnchorHead_subjectType_subjectId_idx" ON "AnchorHead"("subjectType", "subjectId");

-- AddForeignKey
ALTER TABLE "AnchorHead" ADD CONSTRAINT "AnchorHead_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "AnchorBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Head leaves are part of what a batch anchored: append-only, like the events and their leaves.
CREATE TRIGGER "AnchorHead_append_only"
    BEFORE UPDATE OR DELETE ON "AnchorHead"
    FOR EACH ROW EXECUTE FUNCTION "portal_refuse_ledger_change"();

CREATE TRIGGER "AnchorHead_no_truncate"
    BEFORE TRUNCATE ON "AnchorHead"
    FOR EACH STATEMENT EXECUTE FUNCTION "portal_refuse_ledger_change"();
