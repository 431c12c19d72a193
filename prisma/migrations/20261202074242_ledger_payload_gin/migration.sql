-- CreateIndex
CREATE INDEX "LedgerEvent_payload_idx" ON "LedgerEvent" USING GIN ("payload" jsonb_path_ops);
