/** The company calendar: one row, or the default until the company sets one. */
import type { CompanyCalendar } from '../generated/prisma';
import { calendarProblems, canonicalTimeZone, DEFAULT_CALENDAR, type Calendar } from '../domain/calendar';
import { InvalidItem } from '../domain/errors';
import type { CalendarInput } from '../domain/intake';
import type { Db, Tx } from './prisma';

function calendarOf(row: CompanyCalendar | null): Calendar {
  if (!row) return DEFAULT_CALENDAR;
  return { timeZone: row.timeZone, workdays: row.workdays, hours: { start: row.hoursStart, end: row.hoursEnd }, holidays: row.holidays };
}

export async function getCalendar(db: Db | Tx): Promise<Calendar> {
  return calendarOf(await db.companyCalendar.findUnique({ where: { id: 1 } }));
}

/**
 * Replaces the calendar. Reminders and escalations already scheduled keep their time; each next one
 * is counted on the new calendar.
 */
export async function putCalendar(db: Db, input: CalendarInput): Promise<Calendar> {
  const [problem] = calendarProblems(input);
  if (problem) throw new InvalidItem(`${problem.field}: ${problem.message}.`, problem.field);
  const data = {
    timeZone: canonicalTimeZone(input.timeZone)!,
    workdays: [...input.workdays].sort((a, b) => a - b),
    hoursStart: input.hours.start,
    hoursEnd: input.hours.end,
    holidays: [...new Set(input.holidays)].sort(),
  };
  return calendarOf(await db.companyCalendar.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data }));
}
