/**
 * Moving the store's rows in and out whole: a logical export of every table (`ops backup`), loading
 * such an export into an empty database (`ops restore`), and moving an install from the SQLite file of
 * earlier releases (`ops import-sqlite`). A load is one transaction: it lands whole or not at all, and
 * the row counts of every table are compared before it commits.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { type Client, types } from 'pg';
import initSqlJs, { type Database as SqlJsDatabase } from 'sql.js';
import { InvalidRequest } from '../domain/errors';
import type { Transition } from '../domain/statuses';
import { withClient, quoteIdent } from './database';
import { appliedMigrations, committedMigrations, migrationsOn } from './migrations';

/**
 * Every table, parents before children (the order rows can be inserted in). Left out: SlackRequest,
 * the signatures of the last five minutes' Slack requests, which mean nothing once restored.
 */
export const TABLES = [
  'User',
  'Delegation',
  'ToolPermission',
  'Vendor',
  'CostCode',
  'ErpRecord',
  'Project',
  'Commitment',
  'SovLine',
  'ChangeOrder',
  'ChangeOrderLine',
  'HistoryEntry',
  'ReviewedSnapshot',
  'ExportAttempt',
  'Notification',
  'SlackMessage',
  'SandboxExport',
  'SandboxFault',
  'ApprovalPolicy',
  'CompanyCalendar',
] as const;

export type TableName = (typeof TABLES)[number];
type Row = Record<string, unknown>;
export type TableCounts = Record<TableName, number>;

const EXPORT_FORMAT = 'erp-approvals-export';
/** Rows fetched from the cursor at a time when exporting. */
const BATCH = 500;
/** Rows in one INSERT when loading (bind parameters stay well under PostgreSQL's 65,535). */
const INSERT_ROWS = 200;

interface Column {
  name: string;
  /** PostgreSQL's type name: text, int4, int8, bool, timestamp, jsonb, or an enum's name. */
  type: string;
}

async function columnsOf(client: Client, table: string): Promise<Column[]> {
  const { rows } = await client.query<{ column_name: string; udt_name: string }>(
    `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => ({ name: row.column_name, type: row.udt_name }));
}

/** PostgreSQL's type id of `timestamp` (without time zone): Prisma's DateTime, always UTC. */
const TIMESTAMP_OID = 1114;

/**
 * node-postgres would read a `timestamp` as local time (TZ), shifting every date by the offset; the
 * store keeps UTC, so it is read as UTC.
 */
const asStored = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : (types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof types.getTypeParser,
};

export function countRows(url: string): Promise<TableCounts> {
  return withClient(url, counts, { types: asStored });
}

async function counts(client: Client): Promise<TableCounts> {
  const result = {} as TableCounts;
  for (const table of TABLES) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
    result[table] = Number(rows[0]!.n);
  }
  return result;
}

/** A row as the export writes it: timestamps in ISO 8601, 64-bit integers as strings, JSON as JSON. */
function exportValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Writes every row of every table to `destination` (JSON Lines) from one snapshot of the database
 * (REPEATABLE READ): safe while the product runs, and consistent across tables.
 */
export async function exportDatabase(url: string, destination: string): Promise<TableCounts> {
  const file = path.resolve(destination);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  const write = (...lines: unknown[]) =>
    new Promise<void>((resolve, reject) =>
      out.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), (err) => (err ? reject(err) : resolve())),
    );
  try {
    const written = await withClient(
      url,
      async (client) => {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const tableCounts = await counts(client);
        await write({
          format: EXPORT_FORMAT,
          version: 1,
          at: new Date().toISOString(),
          migrations: await migrationsOn(client),
          counts: tableCounts,
        });
        for (const table of TABLES) {
          // A cursor reads each table once, a batch at a time, however large it is.
          await client.query(`DECLARE rows_out NO SCROLL CURSOR FOR SELECT * FROM ${quoteIdent(table)}`);
          for (;;) {
            const { rows } = await client.query<Row>(`FETCH ${BATCH} FROM rows_out`);
            if (rows.length === 0) break;
            // One write per batch, not per row.
            await write(
              ...rows.map((row) => ({
                table,
                row: Object.fromEntries(Object.entries(row).map(([key, value]) => [key, exportValue(value)])),
              })),
            );
          }
          await client.query('CLOSE rows_out');
        }
        await client.query('COMMIT');
        return tableCounts;
      },
      { types: asStored },
    );
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    fs.renameSync(partial, file);
    return written;
  } catch (err) {
    // The stream opens its file asynchronously: wait until it is closed, or the file could be created
    // after it was removed (a refused connection fails that fast).
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** Rows to load, table by table in TABLES order. */
export interface RowSource {
  /** What the source says it holds, to compare with what was loaded. */
  counts: Partial<TableCounts>;
  /** JSON columns come as JSON text (SQLite) rather than as values (an export). */
  jsonAsText?: boolean;
  rows(table: TableName): AsyncIterable<Row>;
}

/**
 * Earlier releases wrote the history's moves in the words of their day ("accepted"); the store keeps
 * codes (`accept`). The same table as migration 20261124120000_history_action_codes, frozen: what people
 * read today may be worded otherwise, what old backups hold is not.
 */
const CODE_OF_WORDS: ReadonlyMap<string, Transition> = new Map([
  ['sent', 'send'],
  ['re-sent', 'resend'],
  ['retrieved', 'retrieve'],
  ['accepted', 'accept'],
  ['rejected', 'reject'],
  ['sent for another export attempt', 'retry-export'],
  ['voided', 'void'],
  ['failed to export', 'export-failed'],
  ['released by an operator', 'release'],
]);

function withActionCode(row: Row): Row {
  const code = typeof row.action === 'string' ? CODE_OF_WORDS.get(row.action) : undefined;
  return code ? { ...row, action: code } : row;
}

/** A scalar as text; anything else as its JSON. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Turns a source value into what PostgreSQL's column takes (SQLite keeps booleans as 0/1, JSON as text, dates as text). */
function loadValue(value: unknown, column: Column, table: string, jsonAsText: boolean): unknown {
  if (value === null || value === undefined) return null;
  const text = scalarText(value);
  switch (column.type) {
    case 'bool':
      return value === true || value === 1 || value === '1' || value === 'true';
    case 'timestamp':
    case 'timestamptz': {
      // ISO 8601 as Prisma writes it, SQLite's CURRENT_TIMESTAMP ("YYYY-MM-DD HH:MM:SS", UTC), or epoch milliseconds.
      const date =
        typeof value === 'number'
          ? new Date(value)
          : new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
      if (Number.isNaN(date.getTime())) throw new InvalidRequest(`${table}.${column.name}: "${text}" is not a date.`);
      return date.toISOString();
    }
    case 'json':
    case 'jsonb':
      // Text from SQLite is JSON already (checked here); a value from an export is JSON to write out.
      return jsonAsText ? JSON.stringify(JSON.parse(text)) : JSON.stringify(value);
    case 'int8':
      return text;
    default:
      return value;
  }
}

/**
 * Loads `source` into the database at `url` in one transaction. Refused unless every table is empty and
 * every migration is applied; rolled back unless each table ends with the count the source declared.
 */
export async function loadRows(url: string, source: RowSource): Promise<TableCounts> {
  const applied = new Set(await appliedMigrations(url));
  const missing = committedMigrations().filter((name) => !applied.has(name));
  if (missing.length > 0)
    throw new InvalidRequest(`The target database lacks migrations ${missing.join(', ')}: run npm run db:migrate first.`);
  return withClient(url, (client) => loadInto(client, source), { types: asStored });
}

async function loadInto(client: Client, source: RowSource): Promise<TableCounts> {
  try {
    await client.query('BEGIN');
    // Nothing else writes while the load runs, and the emptiness checked below stays true.
    await client.query(`LOCK TABLE ${TABLES.map(quoteIdent).join(', ')} IN EXCLUSIVE MODE`);
    const before = await counts(client);
    const occupied = TABLES.filter((table) => before[table] > 0);
    if (occupied.length > 0) {
      throw new InvalidRequest(
        `The target database is not empty (${occupied.map((table) => `${table}: ${before[table]}`).join(', ')}); load into an empty database only.`,
      );
    }
    for (const table of TABLES) {
      const columns = await columnsOf(client, table);
      const byName = new Map(columns.map((column) => [column.name, column]));
      let batch: Row[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const names = [...new Set(batch.flatMap((row) => Object.keys(row)))];
        for (const name of names) if (!byName.has(name)) throw new InvalidRequest(`${table}.${name}: the target has no such column.`);
        const values: unknown[] = [];
        const tuples = batch.map(
          (row) =>
            `(${names.map((name) => `$${values.push(loadValue(row[name], byName.get(name)!, table, source.jsonAsText ?? false))}`).join(', ')})`,
        );
        await client.query(`INSERT INTO ${quoteIdent(table)} (${names.map(quoteIdent).join(', ')}) VALUES ${tuples.join(', ')}`, values);
        batch = [];
      };
      for await (const row of source.rows(table)) {
        batch.push(table === 'HistoryEntry' ? withActionCode(row) : row);
        if (batch.length >= INSERT_ROWS) await flush();
      }
      await flush();
      // Identity columns go on after the highest id loaded.
      if (byName.has('id') && byName.get('id')!.type === 'int4') {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT max("id") FROM ${quoteIdent(table)}), 0) + 1, false)`,
          [quoteIdent(table)],
        );
      }
    }
    const after = await counts(client);
    const differing = TABLES.filter((table) => source.counts[table] !== undefined && source.counts[table] !== after[table]);
    if (differing.length > 0) {
      throw new InvalidRequest(
        `Row counts differ after the load, so nothing was kept: ${differing.map((table) => `${table} ${source.counts[table]} in the source, ${after[table]} loaded`).join('; ')}.`,
      );
    }
    await client.query('COMMIT');
    return after;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** An export written by exportDatabase. */
export async function exportFile(file: string): Promise<RowSource> {
  if (!fs.existsSync(file)) throw new InvalidRequest(`There is no file ${file}.`);
  // Read once, front to back: the export writes the tables in TABLES order, the order they are loaded in.
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const parsed = async (): Promise<unknown> => {
    const next = await lines.next();
    return next.done ? undefined : JSON.parse(next.value);
  };
  let header: { format?: string; counts?: Partial<TableCounts> } | undefined;
  try {
    header = (await parsed()) as typeof header;
  } catch {
    header = undefined;
  }
  if (header?.format !== EXPORT_FORMAT || !header.counts)
    throw new InvalidRequest(`${file} is not an export of this product (npm run ops -- backup writes one).`);
  // The first row of the next table, read while finishing this one. A row out of that order is left
  // unloaded, and the count comparison then refuses the load.
  let ahead: { table: string; row: Row } | undefined;
  return {
    counts: header.counts,
    async *rows(table) {
      for (;;) {
        const entry = ahead ?? ((await parsed()) as { table: string; row: Row } | undefined);
        ahead = undefined;
        if (!entry) return;
        if (entry.table !== table) {
          ahead = entry;
          return;
        }
        yield entry.row;
      }
    },
  };
}

/** The SQLite database file of an earlier release. */
export async function sqliteFile(file: string): Promise<RowSource> {
  if (!fs.existsSync(file)) throw new InvalidRequest(`There is no file ${file}.`);
  // The earlier releases wrote in WAL mode: commits may still sit in the -wal file beside it.
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new InvalidRequest(
      `${wal} still holds writes not yet in ${file}. Stop every process of the earlier release (they fold it in as they close), ` +
        `or run: sqlite3 ${file} 'PRAGMA wal_checkpoint(TRUNCATE)'; then import again.`,
    );
  }
  const SQL = await initSqlJs();
  let db: SqlJsDatabase;
  try {
    db = new SQL.Database(fs.readFileSync(file));
    db.exec('SELECT count(*) FROM sqlite_master');
  } catch {
    throw new InvalidRequest(`${file} is not a SQLite database.`);
  }
  const present = new Set((db.exec(`SELECT name FROM sqlite_master WHERE type = 'table'`)[0]?.values ?? []).map(([name]) => String(name)));
  const tableCounts: Partial<TableCounts> = {};
  for (const table of TABLES) {
    if (!present.has(table)) continue;
    tableCounts[table] = Number(db.exec(`SELECT count(*) FROM ${quoteIdent(table)}`)[0]!.values[0]![0]);
  }
  if (!present.has('ErpRecord')) throw new InvalidRequest(`${file} holds no ERP records: it is not this product's database.`);
  return {
    counts: tableCounts,
    jsonAsText: true,
    async *rows(table) {
      if (!present.has(table)) return;
      const statement = db.prepare(`SELECT * FROM ${quoteIdent(table)}`);
      try {
        while (statement.step()) yield statement.getAsObject();
      } finally {
        statement.free();
      }
    },
  };
}
