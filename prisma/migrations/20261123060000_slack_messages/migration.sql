-- CreateTable
CREATE TABLE "SlackMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SlackMessage_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SlackMessage_erpRecordId_round_key" ON "SlackMessage"("erpRecordId", "round");

