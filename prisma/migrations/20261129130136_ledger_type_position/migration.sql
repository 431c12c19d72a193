-- CreateIndex
CREATE INDEX "LedgerEvent_type_position_idx" ON "LedgerEvent"("type", "position");
