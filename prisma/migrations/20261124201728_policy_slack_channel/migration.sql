-- AlterTable
ALTER TABLE "ApprovalPolicy" ADD COLUMN     "slackChannel" TEXT;

