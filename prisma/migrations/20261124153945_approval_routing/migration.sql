-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN     "step" INTEGER;

-- AlterTable
ALTER TABLE "ReviewedSnapshot" ADD COLUMN     "route" JSONB;

-- CreateTable
CREATE TABLE "ApprovalPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "types" "ItemType"[],
    "projects" TEXT[],
    "minAmountCents" BIGINT,
    "steps" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalPolicy_pkey" PRIMARY KEY ("id")
);

