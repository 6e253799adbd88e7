-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN     "round" INTEGER;

-- CreateIndex
CREATE INDEX "HistoryEntry_at_id_idx" ON "HistoryEntry"("at", "id");

-- Moves written before this column: the round whose reviewed snapshot was the latest at the time of the move
UPDATE "HistoryEntry" h SET "round" = (
  SELECT max(s."round") FROM "ReviewedSnapshot" s WHERE s."erpRecordId" = h."erpRecordId" AND s."at" <= h."at"
) WHERE h."round" IS NULL;
