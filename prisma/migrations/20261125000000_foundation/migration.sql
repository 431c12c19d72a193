-- CreateEnum
CREATE TYPE "Role" AS ENUM ('DONOR', 'OPO_COORDINATOR', 'CENTER_COORDINATOR', 'COURIER', 'REGULATOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "OrganisationKind" AS ENUM ('OPO', 'TRANSPLANT_CENTER', 'REGULATOR', 'COURIER_SERVICE', 'PLATFORM');

-- CreateEnum
CREATE TYPE "AnchorBatchStatus" AS ENUM ('PENDING', 'SENT', 'CONFIRMED');

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganisationKind" NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "organisationId" UUID,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEvent" (
    "id" UUID NOT NULL,
    "position" BIGSERIAL NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "schemaVersion" INTEGER NOT NULL,
    "actorUserId" TEXT,
    "actorRole" TEXT,
    "actorOrgId" TEXT,
    "serverTime" TIMESTAMPTZ(3) NOT NULL,
    "reportedTime" TIMESTAMPTZ(3),
    "payload" JSONB NOT NULL,
    "salt" TEXT NOT NULL,
    "prevHash" TEXT,
    "hash" TEXT NOT NULL,

    CONSTRAINT "LedgerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnchorBatch" (
    "id" INTEGER NOT NULL,
    "root" TEXT NOT NULL,
    "previousRoot" TEXT NOT NULL,
    "eventCount" INTEGER NOT NULL,
    "status" "AnchorBatchStatus" NOT NULL,
    "txHash" TEXT,
    "blockNumber" BIGINT,
    "chainId" BIGINT,
    "contractAddress" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "AnchorBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnchorLeaf" (
    "eventId" UUID NOT NULL,
    "batchId" INTEGER NOT NULL,
    "leafIndex" INTEGER NOT NULL,

    CONSTRAINT "AnchorLeaf_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_code_key" ON "Organisation"("code");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_organisationId_idx" ON "User"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEvent_position_key" ON "LedgerEvent"("position");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEvent_hash_key" ON "LedgerEvent"("hash");

-- CreateIndex
CREATE INDEX "LedgerEvent_type_idx" ON "LedgerEvent"("type");

-- CreateIndex
CREATE INDEX "LedgerEvent_serverTime_idx" ON "LedgerEvent"("serverTime");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEvent_subjectType_subjectId_sequence_key" ON "LedgerEvent"("subjectType", "subjectId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "AnchorBatch_root_key" ON "AnchorBatch"("root");

-- CreateIndex
CREATE UNIQUE INDEX "AnchorLeaf_batchId_leafIndex_key" ON "AnchorLeaf"("batchId", "leafIndex");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnchorLeaf" ADD CONSTRAINT "AnchorLeaf_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "LedgerEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnchorLeaf" ADD CONSTRAINT "AnchorLeaf_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "AnchorBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only ledger: the database itself refuses to change or remove recorded events and their
-- anchor leaves, so no code path (or operator with SQL access short of dropping the trigger) can
-- rewrite history. Prisma's schema does not model triggers, so the drift check ignores them.
CREATE FUNCTION "portal_refuse_ledger_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on "%" is not allowed: the ledger is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a new event that corrects or supersedes the old one.';
END;
$$;

CREATE TRIGGER "LedgerEvent_append_only"
    BEFORE UPDATE OR DELETE ON "LedgerEvent"
    FOR EACH ROW EXECUTE FUNCTION "portal_refuse_ledger_change"();

CREATE TRIGGER "LedgerEvent_no_truncate"
    BEFORE TRUNCATE ON "LedgerEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "portal_refuse_ledger_change"();

CREATE TRIGGER "AnchorLeaf_append_only"
    BEFORE UPDATE OR DELETE ON "AnchorLeaf"
    FOR EACH ROW EXECUTE FUNCTION "portal_refuse_ledger_change"();

CREATE TRIGGER "AnchorLeaf_no_truncate"
    BEFORE TRUNCATE ON "AnchorLeaf"
    FOR EACH STATEMENT EXECUTE FUNCTION "portal_refuse_ledger_change"();
