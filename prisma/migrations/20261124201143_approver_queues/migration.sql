-- Whom each item's waiting step waits for, so queues and summaries show an approver only what waits
-- for them. Rows of rounds already waiting start empty (any accounting approver sees them, as before)
-- and are narrowed by their round's next move.
-- AlterTable
ALTER TABLE "ErpRecord" ADD COLUMN     "waitingFor" TEXT[] DEFAULT ARRAY[]::TEXT[];

