-- Who sent each item's current round, so an approver's queue leaves out what they sent themselves.
-- AlterTable
ALTER TABLE "ErpRecord" ADD COLUMN     "sentById" TEXT;

-- Rounds already opened: the sender frozen with the current round's reviewed snapshot.
UPDATE "ErpRecord" r SET "sentById" = s."sentById" FROM "ReviewedSnapshot" s WHERE s."erpRecordId" = r.id AND s.round = r.round;
