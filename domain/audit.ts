/**
 * The audit export: every move of every item in a period, as JSON entries or as CSV rows that open
 * cleanly in a spreadsheet. Pure: the store reads the moves, `services/audit.ts` writes them out.
 */
import { z } from 'zod';
import { localDateTimeText, localDayStart } from './calendar';
import { CalendarDate } from './intake';
import { InvalidPeriod } from './errors';
import { historyEntryView, type StoredEntry } from './history';

export const AUDIT_FORMATS = ['csv', 'json'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The days an export covers: local dates on the company's clock, both included. */
export const AuditPeriod = z.object({
  from: CalendarDate.meta({ description: 'First day, included (local date in the company time zone)', example: '2026-01-01' }),
  to: CalendarDate.meta({ description: 'Last day, included', example: '2026-12-31' }),
});

export type AuditPeriodInput = z.infer<typeof AuditPeriod>;

/** Refuses a period that ends before it starts, or with a day no clock of ours can have written (422, naming the field). */
export function assertPeriod(period: AuditPeriodInput): void {
  for (const field of ['from', 'to'] as const) {
    if (period[field] < '1970-01-01' || period[field] > '9998-12-31')
      throw new InvalidPeriod(`${field}: must be a date from 1970-01-01 to 9998-12-31.`, field);
  }
  if (period.from > period.to) throw new InvalidPeriod('to: must be the same day as from or later.', 'to');
}

/** The instants a period runs between: the first moment of `from` up to (not including) the day after `to`. */
export function periodRange(period: AuditPeriodInput, timeZone: string): { start: Date; end: Date } {
  const [year = 0, month = 1, day = 1] = period.to.split('-').map(Number);
  const dayAfter = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return { start: localDayStart(period.from, timeZone), end: localDayStart(dayAfter, timeZone) };
}

/** `erp-audit-2026-01-01-to-2026-12-31.csv` */
export function auditFilename(period: AuditPeriodInput, format: AuditFormat): string {
  return `erp-audit-${period.from}-to-${period.to}.${format}`;
}

/** A stored move as the store reads it: an item's history entry, with the item it belongs to. */
export interface AuditRow extends StoredEntry {
  id: number;
  itemType: string;
  itemRef: string;
  projectRef: string;
}

/** One entry of the JSON export: the item view's history entry (with its round), and the item it belongs to. */
export function auditEntry(row: AuditRow, timeZone: string) {
  return {
    /** The entry's number: increasing in the order entries were written, never reused. */
    id: row.id,
    ...historyEntryView(row),
    /** The same moment on the company's clock. */
    localTime: localDateTimeText(row.at, timeZone),
    item: { type: row.itemType, ref: row.itemRef, project: row.projectRef },
  };
}

export type AuditEntry = ReturnType<typeof auditEntry>;

/** The CSV's columns: heading and cell. */
export function auditColumns(timeZone: string): [string, (entry: AuditEntry) => string][] {
  const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return [
    ['Entry', (e) => text(e.id)],
    ['At (UTC)', (e) => e.at],
    [`Local time (${timeZone})`, (e) => e.localTime],
    ['Item type', (e) => e.item.type],
    ['Item ref', (e) => e.item.ref],
    ['Project', (e) => e.item.project],
    ['Round', (e) => text(e.round)],
    ['Action', (e) => e.action],
    ['Action code', (e) => text(e.transition)],
    ['From status', (e) => text(e.from)],
    ['To status', (e) => text(e.to)],
    ['By (user id)', (e) => text(e.by?.id)],
    ['By', (e) => text(e.by?.name)],
    ['On behalf of (user id)', (e) => text(e.onBehalfOf?.id)],
    ['On behalf of', (e) => text(e.onBehalfOf?.name)],
    ['Self-approved', (e) => (e.selfApproved ? 'yes' : '')],
    ['Route step (1 = first)', (e) => text(e.step === null ? null : e.step + 1)],
    ['Reason', (e) => text(e.reason)],
    ['Message', (e) => text(e.message)],
    ['Snapshot hash', (e) => text(e.snapshotHash)],
  ];
}

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, also after blanks or in their
 * full-width forms, or a leading tab or carriage return) is written as text: a `'` in front, which the
 * spreadsheet shows as text and does not run.
 */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record (RFC 4180: CRLF line ends). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A byte order mark first, so a spreadsheet reads the file as UTF-8 (names and reasons keep their accents). */
export const CSV_BOM = '\ufeff';
