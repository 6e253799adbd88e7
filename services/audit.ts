/**
 * Writes the audit export of a period to a stream as the database hands it over, a page at a time:
 * a year of history passes through without sitting in memory, and a reader that stops reading holds
 * the next page back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  auditColumns,
  auditFilename,
  auditEntry,
  CSV_BOM,
  csvLine,
  periodRange,
  type AuditFormat,
  type AuditPeriodInput,
  type AuditRow,
} from '../domain/audit';
import { forEachAuditPage } from '../store/audit';
import type { Db } from '../store/prisma';

export interface AuditRequest extends AuditPeriodInput {
  format: AuditFormat;
}

/** The reader stopped taking the export: it went away, or did not read for too long. */
export class ReaderGone extends Error {}

/**
 * How long an export waits for its reader to take the next piece. The export holds a database
 * connection while it waits: a reader that stops reading must not hold it for long.
 */
export const READER_STALL_MS = 60_000;

/**
 * Writes `chunk`, then waits for the stream to take more when its buffer is full; fails once it is
 * closed, or when it has taken nothing for `stallMs`.
 */
export function writer(out: Writable, stallMs = READER_STALL_MS): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      if (out.destroyed || out.writableEnded) return reject(new ReaderGone('The reader went away before the export was written.'));
      if (out.write(chunk)) return resolve();
      const done = (err?: Error) => {
        clearTimeout(stalled);
        out.off('drain', drained);
        out.off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      const drained = () => done();
      const closed = () => done(new ReaderGone('The reader went away before the export was written.'));
      const stalled = setTimeout(() => done(new ReaderGone(`The reader took nothing for ${stallMs / 1000} s.`)), stallMs);
      out.once('drain', drained);
      out.once('close', closed);
    });
}

/** At most `size` exports at once in this process, so exports never take the connections everything else needs. */
export class ExportSlots {
  private running = 0;

  constructor(readonly size: number) {}

  /** A slot, and how to give it back; null when every slot is taken. */
  take(): (() => void) | null {
    if (this.running >= this.size) return null;
    this.running += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.running -= 1;
    };
  }
}

/**
 * The export of `request` in its format, handed to `write` piece by piece; answers how many entries
 * it holds. JSON: `{ from, to, timeZone, entries: [...], count }`, entries in the order the moves were
 * made. CSV: a heading row, then one row per move.
 */
export async function writeAudit(
  db: Db,
  request: AuditRequest,
  timeZone: string,
  write: (chunk: string) => Promise<void>,
): Promise<number> {
  const range = periodRange(request, timeZone);
  const columns = auditColumns(timeZone);
  const json = request.format === 'json';
  // Nothing is written before the database has answered: a failure to read is still a clean error.
  let head: string | null = json
    ? `{"from":${JSON.stringify(request.from)},"to":${JSON.stringify(request.to)},"timeZone":${JSON.stringify(timeZone)},"entries":[`
    : CSV_BOM + csvLine(columns.map(([heading]) => heading));
  const page = (rows: AuditRow[]) => {
    const entries = rows.map((row) => auditEntry(row, timeZone));
    const body = json
      ? (head === null ? ',' : '') + entries.map((entry) => JSON.stringify(entry)).join(',')
      : entries.map((entry) => csvLine(columns.map(([, cell]) => cell(entry)))).join('');
    const text = (head ?? '') + body;
    head = null;
    return text;
  };
  const count = await forEachAuditPage(db, range, (rows) => write(page(rows)));
  await write((head ?? '') + (json ? `],"count":${count}}` : ''));
  return count;
}

/**
 * The export written to a file of its own in a private temporary folder (for an upload, which needs
 * its length first); `remove` deletes it.
 */
export async function writeAuditFile(
  db: Db,
  request: AuditRequest,
  timeZone: string,
): Promise<{ file: string; filename: string; count: number; remove: () => Promise<void> }> {
  const folder = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'erp-audit-'));
  const remove = () => fs.promises.rm(folder, { recursive: true, force: true });
  const filename = auditFilename(request, request.format);
  const file = path.join(folder, filename);
  try {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const count = await writeAudit(db, request, timeZone, writer(out)).finally(() => out.end());
    await finished(out);
    return { file, filename, count, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
