-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ErpStatus" AS ENUM ('NotSent', 'ReadyToExport', 'Exporting', 'Synced', 'FailedToExport', 'Rejected', 'Retrieved', 'Voided');

-- CreateEnum
CREATE TYPE "ExportAttemptOutcome" AS ENUM ('Unknown', 'Booked', 'NotBooked', 'Refused');

-- CreateEnum
CREATE TYPE "ItemType" AS ENUM ('project', 'commitment', 'cco');

-- CreateEnum
CREATE TYPE "Tool" AS ENUM ('Admin', 'Commitments', 'ChangeOrders', 'ErpIntegrations');

-- CreateEnum
CREATE TYPE "PermissionLevel" AS ENUM ('None', 'ReadOnly', 'Standard', 'Admin');

-- CreateEnum
CREATE TYPE "CommitmentKind" AS ENUM ('subcontract', 'purchase_order');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "slackId" TEXT,
    "canPushToAccounting" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolPermission" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "tool" "Tool" NOT NULL,
    "level" "PermissionLevel" NOT NULL,

    CONSTRAINT "ToolPermission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vendor" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "erpVendorId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostCode" (
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "categories" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CostCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Project" (
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" TEXT,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("ref")
);

-- CreateTable
CREATE TABLE "Commitment" (
    "ref" TEXT NOT NULL,
    "projectRef" TEXT NOT NULL,
    "kind" "CommitmentKind" NOT NULL,
    "number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "vendorId" TEXT,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("ref")
);

-- CreateTable
CREATE TABLE "SovLine" (
    "id" SERIAL NOT NULL,
    "commitmentRef" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "costCode" TEXT,
    "category" TEXT,
    "amountCents" BIGINT NOT NULL,

    CONSTRAINT "SovLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeOrder" (
    "ref" TEXT NOT NULL,
    "commitmentRef" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "erpNumber" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChangeOrder_pkey" PRIMARY KEY ("ref")
);

-- CreateTable
CREATE TABLE "ChangeOrderLine" (
    "id" SERIAL NOT NULL,
    "changeOrderRef" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "sovLineNo" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "amountCents" BIGINT NOT NULL,

    CONSTRAINT "ChangeOrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErpRecord" (
    "id" SERIAL NOT NULL,
    "itemType" "ItemType" NOT NULL,
    "itemRef" TEXT NOT NULL,
    "projectRef" TEXT NOT NULL,
    "status" "ErpStatus" NOT NULL DEFAULT 'NotSent',
    "erpId" TEXT,
    "round" INTEGER NOT NULL DEFAULT 0,
    "exportError" TEXT,
    "lastRejectionReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ErpRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistoryEntry" (
    "id" SERIAL NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" "ErpStatus",
    "toStatus" "ErpStatus",
    "reason" TEXT,
    "message" TEXT,
    "snapshotHash" TEXT,
    "selfApproved" BOOLEAN NOT NULL DEFAULT false,
    "eventKey" TEXT NOT NULL,

    CONSTRAINT "HistoryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewedSnapshot" (
    "id" SERIAL NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "review" JSONB NOT NULL,
    "changes" JSONB,
    "sentById" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewedSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportAttempt" (
    "idempotencyKey" TEXT NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "snapshotHash" TEXT,
    "outcome" "ExportAttemptOutcome" NOT NULL DEFAULT 'Unknown',
    "erpId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExportAttempt_pkey" PRIMARY KEY ("idempotencyKey")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "eventKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "recipientId" TEXT,
    "erpRecordId" INTEGER,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackMessage" (
    "id" SERIAL NOT NULL,
    "erpRecordId" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SandboxExport" (
    "idempotencyKey" TEXT NOT NULL,
    "erpId" TEXT NOT NULL,
    "itemType" "ItemType" NOT NULL,
    "itemRef" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SandboxExport_pkey" PRIMARY KEY ("idempotencyKey")
);

-- CreateTable
CREATE TABLE "SandboxFault" (
    "itemRef" TEXT NOT NULL,
    "transientFailures" INTEGER NOT NULL DEFAULT 0,
    "failuresSoFar" INTEGER NOT NULL DEFAULT 0,
    "permanentMessage" TEXT,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "lostAnswers" INTEGER NOT NULL DEFAULT 0,
    "lostSoFar" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SandboxFault_pkey" PRIMARY KEY ("itemRef")
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
CREATE UNIQUE INDEX "ReviewedSnapshot_erpRecordId_round_key" ON "ReviewedSnapshot"("erpRecordId", "round");

-- CreateIndex
CREATE INDEX "ExportAttempt_erpRecordId_outcome_idx" ON "ExportAttempt"("erpRecordId", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventKey_key" ON "Notification"("eventKey");

-- CreateIndex
CREATE UNIQUE INDEX "SlackMessage_erpRecordId_round_key" ON "SlackMessage"("erpRecordId", "round");

-- CreateIndex
CREATE UNIQUE INDEX "SandboxExport_erpId_key" ON "SandboxExport"("erpId");

-- AddForeignKey
ALTER TABLE "ToolPermission" ADD CONSTRAINT "ToolPermission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_projectRef_fkey" FOREIGN KEY ("projectRef") REFERENCES "Project"("ref") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SovLine" ADD CONSTRAINT "SovLine_commitmentRef_fkey" FOREIGN KEY ("commitmentRef") REFERENCES "Commitment"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeOrder" ADD CONSTRAINT "ChangeOrder_commitmentRef_fkey" FOREIGN KEY ("commitmentRef") REFERENCES "Commitment"("ref") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeOrder" ADD CONSTRAINT "ChangeOrder_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeOrder" ADD CONSTRAINT "ChangeOrder_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeOrderLine" ADD CONSTRAINT "ChangeOrderLine_changeOrderRef_fkey" FOREIGN KEY ("changeOrderRef") REFERENCES "ChangeOrder"("ref") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistoryEntry" ADD CONSTRAINT "HistoryEntry_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistoryEntry" ADD CONSTRAINT "HistoryEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewedSnapshot" ADD CONSTRAINT "ReviewedSnapshot_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewedSnapshot" ADD CONSTRAINT "ReviewedSnapshot_sentById_fkey" FOREIGN KEY ("sentById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportAttempt" ADD CONSTRAINT "ExportAttempt_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlackMessage" ADD CONSTRAINT "SlackMessage_erpRecordId_fkey" FOREIGN KEY ("erpRecordId") REFERENCES "ErpRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

