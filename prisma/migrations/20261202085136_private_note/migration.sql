-- CreateTable
CREATE TABLE "PrivateNote" (
    "id" UUID NOT NULL,
    "donorId" UUID,
    "wrappedKey" TEXT,
    "ciphertext" TEXT,
    "commitment" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivateNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PrivateNote_donorId_idx" ON "PrivateNote"("donorId");
