-- CreateTable
CREATE TABLE "CompanyCalendar" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "timeZone" TEXT NOT NULL,
    "workdays" INTEGER[],
    "hoursStart" TEXT NOT NULL,
    "hoursEnd" TEXT NOT NULL,
    "holidays" TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CompanyCalendar_pkey" PRIMARY KEY ("id")
);


-- One company, one calendar
ALTER TABLE "CompanyCalendar" ADD CONSTRAINT "CompanyCalendar_one_row" CHECK ("id" = 1);
