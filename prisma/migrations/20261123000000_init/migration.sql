-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "slackId" TEXT,
    "canPushToAccounting" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ToolPermission" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    CONSTRAINT "ToolPermission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Vendor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "erpVendorId" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CostCode" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "description" TEXT NOT NULL,
    "categories" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Project" (
    "ref" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "number" TEXT,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Project_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Commitment" (
    "ref" TEXT NOT NULL PRIMARY KEY,
    "projectRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "vendorId" TEXT,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Commitment_projectRef_fkey" FOREIGN KEY ("projectRef") REFERENCES "Project" ("ref") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Commitment_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Commitment_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Commitment_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SovLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "commitmentRef" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "costCode" TEXT,
    "category" TEXT,
    "amountCents" BIGINT NOT NULL,
    CONSTRAINT "SovLine_commitmentRef_fkey" FOREIGN KEY ("commitmentRef") REFERENCES "Commitment" ("ref") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeOrder" (
    "ref" TEXT NOT NULL PRIMARY KEY,
    "commitmentRef" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "erpNumber" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChangeOrder_commitmentRef_fkey" FOREIGN KEY ("commitmentRef") REFERENCES "Commitment" ("ref") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ChangeOrder_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ChangeOrder_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeOrderLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "changeOrderRef" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "sovLineNo" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "amountCents" BIGINT NOT NULL,
    CONSTRAINT "ChangeOrderLine_changeOrderRef_fkey" FOREIGN KEY ("changeOrderRef") REFERENCES "ChangeOrder" ("ref") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ErpRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemType" TEXT NOT NULL,
    "itemRef" TEXT NOT NULL,
    "projectRef" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'NotSent',
    "erpId" TEXT,
    "round" INTEGER NOT NULL DEFAULT 0,
    "exportError" TEXT,
    "lastRejectionReason" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HistoryEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "erpRecordId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "message" TEXT,
    "eventKey" TEXT NOT NULL,
    CONSTRAINT "HistoryEntry_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "HistoryEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "recipientId" TEXT,
    "erpRecordId" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "Notification_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SandboxExport" (
    "idempotencyKey" TEXT NOT NULL PRIMARY KEY,
    "erpId" TEXT NOT NULL,
    "itemType" TEXT NOT NULL,
    "itemRef" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SandboxFault" (
    "itemRef" TEXT NOT NULL PRIMARY KEY,
    "transientFailures" INTEGER NOT NULL DEFAULT 0,
    "failuresSoFar" INTEGER NOT NULL DEFAULT 0,
    "permanentMessage" TEXT,
    "delayMs" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_slackId_key" ON "User"("slackId");

-- CreateIndex
CREATE UNIQUE INDEX "ToolPermission_userId_scope_tool_key" ON "ToolPermission"("userId", "scope", "tool");

-- CreateIndex
CREATE UNIQUE INDEX "Project_erpRecordId_key" ON "Project"("erpRecordId");

-- CreateIndex
CREATE UNIQUE INDEX "Commitment_erpRecordId_key" ON "Commitment"("erpRecordId");

-- CreateIndex
CREATE UNIQUE INDEX "SovLine_commitmentRef_lineNo_key" ON "SovLine"("commitmentRef", "lineNo");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeOrder_erpRecordId_key" ON "ChangeOrder"("erpRecordId");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeOrderLine_changeOrderRef_lineNo_key" ON "ChangeOrderLine"("changeOrderRef", "lineNo");

-- CreateIndex
CREATE INDEX "ErpRecord_status_itemType_idx" ON "ErpRecord"("status", "itemType");

-- CreateIndex
CREATE INDEX "ErpRecord_projectRef_idx" ON "ErpRecord"("projectRef");

-- CreateIndex
CREATE UNIQUE INDEX "ErpRecord_itemType_itemRef_key" ON "ErpRecord"("itemType", "itemRef");

-- CreateIndex
CREATE UNIQUE INDEX "HistoryEntry_eventKey_key" ON "HistoryEntry"("eventKey");

-- CreateIndex
CREATE INDEX "HistoryEntry_erpRecordId_at_idx" ON "HistoryEntry"("erpRecordId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventKey_key" ON "Notification"("eventKey");

-- CreateIndex
CREATE UNIQUE INDEX "SandboxExport_erpId_key" ON "SandboxExport"("erpId");

