/**
 * The company calendar: the time zone, working days and hours and the holidays that reminders and
 * escalations are counted in. Plain functions over instants; the zone's rules (offsets, daylight
 * saving) come from the runtime's time-zone database through `Intl`.
 */
import { BUSINESS_DURATION } from './routing';

export interface Calendar {
  /** An IANA time zone, as the runtime names it (`America/Chicago`). */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday, ascending. */
  workdays: number[];
  /** Working hours each working day, local "HH:MM" (24-hour), start before end. */
  hours: { start: string; end: string };
  /** Local dates (YYYY-MM-DD) that are not working days, ascending. */
  holidays: string[];
}

/** The calendar until the company sets one: Monday to Friday, 09:00–17:00 UTC, no holidays. */
export const DEFAULT_CALENDAR: Calendar = {
  timeZone: 'UTC',
  workdays: [1, 2, 3, 4, 5],
  hours: { start: '09:00', end: '17:00' },
  holidays: [],
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far ahead a deadline is looked for before the calendar is called unworkable (ten years). */
const HORIZON_DAYS = 3_660;

/** The zone's canonical name, or null when the runtime does not know it (`america/chicago` → `America/Chicago`). */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Minutes after midnight of "HH:MM" (24:00 allowed as the end of a day). */
function clockMinutes(text: string): number {
  const [hours = '0', minutes = '0'] = text.split(':');
  return Number(hours) * 60 + Number(minutes);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: number, timeZone: string): LocalParts {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts as unknown as LocalParts;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time names in the zone. A time skipped by a daylight-saving change
 * lands just after the change; a repeated one takes its first occurrence.
 */
function instantOf(date: number, minutes: number, timeZone: string): number {
  const wall = date + minutes * MINUTE;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return Math.min(first, second);
}

/** The local date (as UTC midnight of that date) an instant falls on. */
function localDate(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day);
}

const isoWeekday = (date: number) => ((new Date(date).getUTCDay() + 6) % 7) + 1;
const dateText = (date: number) => new Date(date).toISOString().slice(0, 10);

/** The local date (YYYY-MM-DD) an instant falls on in a zone. */
export function localDateText(at: Date, timeZone: string): string {
  return dateText(localDate(at.getTime(), timeZone));
}

/** The wall-clock time (YYYY-MM-DD HH:MM:SS) an instant shows in a zone. */
export function localDateTimeText(at: Date, timeZone: string): string {
  const p = localParts(at.getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** The instant a local date (YYYY-MM-DD) begins in a zone: its first moment, daylight-saving changes included. */
export function localDayStart(date: string, timeZone: string): Date {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(instantOf(Date.UTC(year, month - 1, day), 0, timeZone));
}

/** Working minutes in one working day. */
function workdayMinutes(calendar: Calendar): number {
  return clockMinutes(calendar.hours.end) - clockMinutes(calendar.hours.start);
}

/**
 * A business duration's length in working minutes: a day is one working day (the calendar's hours),
 * a week as many working days as the calendar has in a week; hours and minutes are working time.
 */
export function workingMinutes(duration: string, calendar: Calendar): number {
  const match = BUSINESS_DURATION.exec(duration);
  if (!match) throw new RangeError(`"${duration}" is not a duration of weeks, days, hours and minutes`);
  const [, weeks = '0', days = '0', hours = '0', minutes = '0'] = match;
  const workdays = Number(weeks) * calendar.workdays.length + Number(days);
  return workdays * workdayMinutes(calendar) + Number(hours) * 60 + Number(minutes);
}

/**
 * When `duration` of working time has passed after `from`: time outside working hours, on days off and
 * on holidays does not count, so "PT4H" from Friday 15:00 on a 09:00–17:00 week is Monday 11:00 (or
 * Tuesday's, when Monday is a holiday).
 */
export function addWorkingTime(from: Date, duration: string, calendar: Calendar): Date {
  let remaining = workingMinutes(duration, calendar) * MINUTE;
  const start = clockMinutes(calendar.hours.start);
  const end = clockMinutes(calendar.hours.end);
  const holidays = new Set(calendar.holidays);
  const working = (date: number) => calendar.workdays.includes(isoWeekday(date)) && !holidays.has(dateText(date));
  let date = localDate(from.getTime(), calendar.timeZone);
  for (let day = 0; day < HORIZON_DAYS; day += 1, date += DAY) {
    if (!working(date)) continue;
    const open = instantOf(date, start, calendar.timeZone);
    const close = instantOf(date, end, calendar.timeZone);
    const begin = Math.max(open, from.getTime());
    if (begin >= close) continue;
    if (remaining <= close - begin) return new Date(begin + remaining);
    remaining -= close - begin;
  }
  throw new RangeError('The calendar has no working time in the next ten years');
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant as people at the company read it: "Tue 09:00" within the coming week, "Tue 8 Dec 09:00"
 * further off, in the calendar's zone.
 */
export function localWords(at: Date, now: Date, calendar: Calendar): string {
  const p = localParts(at.getTime(), calendar.timeZone);
  const date = Date.UTC(p.year, p.month - 1, p.day);
  const clock = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  const weekday = WEEKDAYS[isoWeekday(date) - 1];
  const soon = date - localDate(now.getTime(), calendar.timeZone) < 7 * DAY;
  return soon ? `${weekday} ${clock}` : `${weekday} ${p.day} ${MONTHS[p.month - 1]} ${clock}`;
}

/** What the calendar's schema cannot state, as `{ field, message }`. */
export function calendarProblems(calendar: Calendar): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (canonicalTimeZone(calendar.timeZone) === null)
    problems.push({
      field: 'timeZone',
      message: `"${calendar.timeZone}" is not a time zone this server knows (an IANA name such as America/Chicago)`,
    });
  if (clockMinutes(calendar.hours.start) >= clockMinutes(calendar.hours.end))
    problems.push({ field: 'hours', message: `start (${calendar.hours.start}) must be before end (${calendar.hours.end})` });
  const twice = calendar.workdays.find((day, i) => calendar.workdays.indexOf(day) !== i);
  if (twice !== undefined) problems.push({ field: 'workdays', message: `names ${twice} twice` });
  return problems;
}
