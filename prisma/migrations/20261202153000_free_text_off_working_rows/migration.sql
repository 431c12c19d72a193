-- Free text no longer sits in plain text in working rows (where an overwrite on erasure would leave
-- the old row version readable until vacuum): the rows point at the encrypted PrivateNote instead.
ALTER TABLE "Offer" ADD COLUMN "refusalNoteId" UUID;
ALTER TABLE "Offer" ADD COLUMN "bypassNoteId" UUID;
ALTER TABLE "CustodyEvent" ADD COLUMN "noteId" UUID;
ALTER TABLE "DonorCase" ADD COLUMN "closedNoteId" UUID;
