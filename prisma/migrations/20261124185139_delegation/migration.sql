-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN     "onBehalfOfId" TEXT;

-- CreateTable
CREATE TABLE "Delegation" (
    "userId" TEXT NOT NULL,
    "toId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "untilDate" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delegation_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "Delegation_toId_idx" ON "Delegation"("toId");

-- AddForeignKey
ALTER TABLE "HistoryEntry" ADD CONSTRAINT "HistoryEntry_onBehalfOfId_fkey" FOREIGN KEY ("onBehalfOfId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_toId_fkey" FOREIGN KEY ("toId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Nobody delegates to themselves, and a delegation ends no earlier than it starts
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_not_self" CHECK ("userId" <> "toId");
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_dates" CHECK ("startDate" <= "untilDate");
