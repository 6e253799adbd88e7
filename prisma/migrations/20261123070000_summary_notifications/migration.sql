-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "recipientId" TEXT,
    "erpRecordId" INTEGER,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "Notification_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("audience", "createdAt", "deliveredAt", "erpRecordId", "eventKey", "id", "kind", "payload", "recipientId") SELECT "audience", "createdAt", "deliveredAt", "erpRecordId", "eventKey", "id", "kind", "payload", "recipientId" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE UNIQUE INDEX "Notification_eventKey_key" ON "Notification"("eventKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

