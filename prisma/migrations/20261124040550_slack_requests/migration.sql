-- CreateTable
CREATE TABLE "SlackRequest" (
    "signature" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackRequest_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "SlackRequest_expiresAt_idx" ON "SlackRequest"("expiresAt");

