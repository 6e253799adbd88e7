/** The audit export's pure rules: the period's bounds on the company's clock, and cells a spreadsheet reads as text. */
import { AuditPeriod, assertPeriod, csvCell, csvLine, periodRange } from '../domain/audit';
import type { InvalidPeriod } from '../domain/errors';

test('a period runs from the first moment of its first local day to the first moment after its last', () => {
  expect(periodRange({ from: '2026-11-24', to: '2026-11-24' }, 'UTC')).toEqual({
    start: new Date('2026-11-24T00:00:00Z'),
    end: new Date('2026-11-25T00:00:00Z'),
  });
  // Chicago is six hours behind UTC in winter; the year's last day ends at 06:00 UTC on New Year's Day.
  expect(periodRange({ from: '2026-01-01', to: '2026-12-31' }, 'America/Chicago')).toEqual({
    start: new Date('2026-01-01T06:00:00Z'),
    end: new Date('2027-01-01T06:00:00Z'),
  });
  // The day clocks go forward has 23 hours; the day they go back, 25.
  const spring = periodRange({ from: '2026-03-08', to: '2026-03-08' }, 'America/Chicago');
  expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
  const autumn = periodRange({ from: '2026-11-01', to: '2026-11-01' }, 'America/Chicago');
  expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  // A month's end rolls into the next month and a leap day is a day.
  expect(periodRange({ from: '2028-02-29', to: '2028-02-29' }, 'UTC').end).toEqual(new Date('2028-03-01T00:00:00Z'));
});

test('a period ends on or after its start, in real dates', () => {
  const problem = (period: { from: string; to: string }) => {
    try {
      assertPeriod(period);
      return null;
    } catch (err) {
      return (err as InvalidPeriod).message;
    }
  };
  expect(problem({ from: '2026-01-01', to: '2026-01-01' })).toBeNull();
  expect(problem({ from: '2026-01-02', to: '2026-01-01' })).toBe('to: must be the same day as from or later.');
  // Years a clock of this century cannot have written, nor a day after which there is none to name.
  expect(problem({ from: '0050-01-01', to: '2026-03-01' })).toBe('from: must be a date from 1970-01-01 to 9998-12-31.');
  expect(problem({ from: '2026-01-01', to: '9999-12-31' })).toBe('to: must be a date from 1970-01-01 to 9998-12-31.');
  expect(AuditPeriod.safeParse({ from: '2026-02-29', to: '2026-03-01' }).success).toBe(false);
  expect(AuditPeriod.safeParse({ from: '26-01-01', to: '2026-03-01' }).success).toBe(false);
});

test('a cell a spreadsheet would run as a formula is written as text', () => {
  for (const value of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', ' =1', '\u00a0=1', '\uff1d1']) {
    expect(csvCell(value).replace(/^"/, '').startsWith("'")).toBe(true);
  }
  for (const value of ['Dana Lee', 'CO-7', '1-2', 'a=b', "O'Brien", '']) expect(csvCell(value)).toBe(value);
});

test('cells with a comma, quote, line break or edge blanks are quoted, quotes doubled', () => {
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
  expect(csvCell(' padded ')).toBe('" padded "');
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
});
