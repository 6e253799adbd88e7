-- AlterTable
ALTER TABLE "Project" ADD COLUMN "url" TEXT;

-- AlterTable
ALTER TABLE "Commitment" ADD COLUMN "url" TEXT;

-- AlterTable
ALTER TABLE "ChangeOrder" ADD COLUMN "url" TEXT;

-- CreateTable
CREATE TABLE "ReviewedSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "review" JSONB NOT NULL,
    "changes" JSONB,
    "sentById" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewedSnapshot_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewedSnapshot_sentById_fkey" FOREIGN KEY ("sentById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExportAttempt" (
    "idempotencyKey" TEXT NOT NULL PRIMARY KEY,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "snapshotHash" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'Unknown',
    "erpId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ExportAttempt_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_HistoryEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "erpRecordId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "message" TEXT,
    "snapshotHash" TEXT,
    "selfApproved" BOOLEAN NOT NULL DEFAULT false,
    "eventKey" TEXT NOT NULL,
    CONSTRAINT "HistoryEntry_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "HistoryEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_HistoryEntry" ("action", "actorId", "at", "erpRecordId", "eventKey", "fromStatus", "id", "message", "reason", "toStatus") SELECT "action", "actorId", "at", "erpRecordId", "eventKey", "fromStatus", "id", "message", "reason", "toStatus" FROM "HistoryEntry";
DROP TABLE "HistoryEntry";
ALTER TABLE "new_HistoryEntry" RENAME TO "HistoryEntry";
CREATE UNIQUE INDEX "HistoryEntry_eventKey_key" ON "HistoryEntry"("eventKey");
CREATE INDEX "HistoryEntry_erpRecordId_at_idx" ON "HistoryEntry"("erpRecordId", "at");
CREATE TABLE "new_SandboxFault" (
    "itemRef" TEXT NOT NULL PRIMARY KEY,
    "transientFailures" INTEGER NOT NULL DEFAULT 0,
    "failuresSoFar" INTEGER NOT NULL DEFAULT 0,
    "permanentMessage" TEXT,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "lostAnswers" INTEGER NOT NULL DEFAULT 0,
    "lostSoFar" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_SandboxFault" ("delayMs", "failuresSoFar", "itemRef", "permanentMessage", "transientFailures") SELECT "delayMs", "failuresSoFar", "itemRef", "permanentMessage", "transientFailures" FROM "SandboxFault";
DROP TABLE "SandboxFault";
ALTER TABLE "new_SandboxFault" RENAME TO "SandboxFault";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ReviewedSnapshot_erpRecordId_round_key" ON "ReviewedSnapshot"("erpRecordId", "round");

-- CreateIndex
CREATE INDEX "ExportAttempt_erpRecordId_outcome_idx" ON "ExportAttempt"("erpRecordId", "outcome");

