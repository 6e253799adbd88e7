/** Working time on the company calendar: days off, holidays, hours and time zones. */
import { addWorkingTime, calendarProblems, canonicalTimeZone, localWords, workingMinutes, type Calendar } from '../domain/calendar';

const chicago: Calendar = {
  timeZone: 'America/Chicago',
  workdays: [1, 2, 3, 4, 5],
  hours: { start: '08:00', end: '17:00' },
  holidays: ['2026-11-26', '2026-11-27'],
};
const utc: Calendar = { timeZone: 'UTC', workdays: [1, 2, 3, 4, 5], hours: { start: '09:00', end: '17:00' }, holidays: [] };

const at = (iso: string) => new Date(iso);
const add = (from: string, duration: string, calendar: Calendar) => addWorkingTime(at(from), duration, calendar).toISOString();

test('working hours count, evenings and weekends do not', () => {
  // Friday 15:00 + 4 working hours: 2 on Friday, 2 on Monday.
  expect(add('2026-11-20T15:00:00Z', 'PT4H', utc)).toBe('2026-11-23T11:00:00.000Z');
  // Sent on a Saturday: the clock starts on Monday morning.
  expect(add('2026-11-21T10:00:00Z', 'PT30M', utc)).toBe('2026-11-23T09:30:00.000Z');
  // Sent before opening: counted from opening.
  expect(add('2026-11-23T06:00:00Z', 'PT1H', utc)).toBe('2026-11-23T10:00:00.000Z');
  // Exactly the rest of the day ends at closing time.
  expect(add('2026-11-23T13:00:00Z', 'PT4H', utc)).toBe('2026-11-23T17:00:00.000Z');
});

test('a day is a working day and a week is the working days of a week', () => {
  expect(workingMinutes('P1D', chicago)).toBe(9 * 60);
  expect(workingMinutes('P1W', chicago)).toBe(5 * 9 * 60);
  expect(workingMinutes('P1DT1H30M', utc)).toBe(8 * 60 + 90);
  // Monday 10:00 + 1 working day = Tuesday 10:00.
  expect(add('2026-11-23T10:00:00Z', 'P1D', utc)).toBe('2026-11-24T10:00:00.000Z');
  // A week from Wednesday is the next Wednesday.
  expect(add('2026-11-18T12:00:00Z', 'P1W', utc)).toBe('2026-11-25T12:00:00.000Z');
});

test('holidays are skipped, in the calendar’s own time zone', () => {
  // Wednesday 2026-11-25 16:00 in Chicago (22:00Z) + 2 working hours: 1 on Wednesday; Thursday and
  // Friday are holidays, the weekend is off; the second hour is Monday 08:00–09:00 Chicago (15:00Z).
  expect(add('2026-11-25T22:00:00Z', 'PT2H', chicago)).toBe('2026-11-30T15:00:00.000Z');
  // Without the holidays it would be Thursday 09:00 Chicago.
  expect(add('2026-11-25T22:00:00Z', 'PT2H', { ...chicago, holidays: [] })).toBe('2026-11-26T15:00:00.000Z');
});

test('daylight saving changes move the UTC instant, not the local hours', () => {
  // Chicago leaves daylight saving on Sunday 2026-11-01: 17:00 is 22:00Z before, 08:00 is 14:00Z after.
  // Friday 16:30 + 1 working hour: half an hour on Friday, half an hour from Monday 08:00.
  expect(add('2026-10-30T21:30:00Z', 'PT1H', chicago)).toBe('2026-11-02T14:30:00.000Z');
  expect(add('2026-10-29T13:00:00Z', 'PT1H', chicago)).toBe('2026-10-29T14:00:00.000Z');
});

test('a week of working days that never comes is refused rather than looped over', () => {
  const allHolidays = { ...utc, workdays: [1] };
  expect(() => addWorkingTime(at('2026-11-23T10:00:00Z'), 'P9999W', allHolidays)).toThrow(/no working time/);
});

test('deadlines are told in the calendar’s zone, with the date when more than a week off', () => {
  const now = at('2026-11-24T15:00:00Z');
  expect(localWords(at('2026-11-30T15:00:00Z'), now, chicago)).toBe('Mon 09:00');
  expect(localWords(at('2026-12-08T15:00:00Z'), now, chicago)).toBe('Tue 8 Dec 09:00');
});

test('a calendar the schema cannot refuse is checked: zone, hours, repeated days', () => {
  expect(canonicalTimeZone('america/chicago')).toBe('America/Chicago');
  expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
  expect(calendarProblems(chicago)).toEqual([]);
  expect(calendarProblems({ ...chicago, timeZone: 'Mars/Olympus', hours: { start: '17:00', end: '08:00' }, workdays: [1, 1] })).toEqual([
    { field: 'timeZone', message: expect.stringContaining('Mars/Olympus') },
    { field: 'hours', message: 'start (17:00) must be before end (08:00)' },
    { field: 'workdays', message: 'names 1 twice' },
  ]);
});
