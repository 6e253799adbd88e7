import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import {
  isDriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { sqliteFilePath } from '../platform/database-url';

/**
 * How long one statement waits for another process's write lock. better-sqlite3 waits synchronously,
 * freezing this process, so the wait is kept short and longer locks are waited out between retries
 * of the statement (below; and Temporal retries an activity that still could not write).
 */
export const BUSY_TIMEOUT_MS = 250;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 25 * 2 ** attempt) + Math.random() * 25));

/** Runs one statement, waiting out another process's lock between short attempts (about 16 s in all). */
async function retryingBusy<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (err) {
      if (attempt >= 12 || !isDriverBusy(err)) throw err;
      await pause(attempt);
    }
  }
}

/** The adapter's word for SQLite's plain SQLITE_BUSY: the lock was not free within BUSY_TIMEOUT_MS. */
function isDriverBusy(err: unknown): boolean {
  return isDriverAdapterError(err) && err.cause.kind === 'SocketTimeout';
}

/**
 * SQLite refuses, without waiting, a transaction that read first and then wants to write while another
 * process wrote in between (SQLITE_BUSY_SNAPSHOT). Every transaction here (ours, and the ones Prisma
 * opens for an upsert or a nested write) therefore takes the write lock before it reads, with a write
 * that touches no row; the lock is waited for like any busy statement.
 */
const TAKE_WRITE_LOCK: SqlQuery = { sql: 'UPDATE "ErpRecord" SET "round" = "round" WHERE 1 = 0', args: [], argTypes: [] };

const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };

/** Ends SQLite's transaction if it is still open, and gives the connection back to the adapter. */
async function abandon(tx: Transaction): Promise<void> {
  await tx.executeRaw(ROLLBACK).catch(() => undefined); // SQLite may have rolled it back already
  await tx.rollback();
}

/**
 * Prisma ends a transaction with a COMMIT or ROLLBACK statement and only then frees the adapter's one
 * connection; when that statement fails (a disk I/O error at COMMIT, or a ROLLBACK after SQLite
 * already rolled back on such an error) the connection would stay taken and every later transaction
 * in the process would wait forever. Here a failed ending still ends the transaction: a failed COMMIT
 * is rolled back and reported; a failed ROLLBACK means nothing is left to roll back.
 */
async function endingSafely(tx: Transaction, query: SqlQuery, execute: (query: SqlQuery) => Promise<number>): Promise<number> {
  if (query.sql !== 'COMMIT' && query.sql !== 'ROLLBACK') return execute(query);
  try {
    return await execute(query);
  } catch (err) {
    await abandon(tx);
    if (query.sql === 'COMMIT') throw err;
    return 0;
  }
}

/**
 * The SQLite adapter with every statement retried on a busy lock, in or out of a transaction. This
 * sits below Prisma's query layer, so it costs nothing on the way (a client extension doing the same
 * doubled the CPU time of every query). The adapter's objects keep private state, so the wrappers
 * delegate to them rather than inherit from them.
 */
function busyRetryingAdapter(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const statements = (queryable: SqlQueryable) => ({
    provider: queryable.provider,
    adapterName: queryable.adapterName,
    queryRaw: (query: SqlQuery) => retryingBusy(() => queryable.queryRaw(query)),
    executeRaw: (query: SqlQuery) => retryingBusy(() => queryable.executeRaw(query)),
  });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await factory.connect();
      return {
        ...statements(adapter),
        executeScript: (script) => adapter.executeScript(script),
        getConnectionInfo: adapter.getConnectionInfo && (() => adapter.getConnectionInfo!()),
        dispose: () => adapter.dispose(),
        async startTransaction(isolationLevel): Promise<Transaction> {
          const tx = await adapter.startTransaction(isolationLevel);
          const run = statements(tx);
          const wrapped: Transaction = { ...run, executeRaw: (query) => endingSafely(tx, query, run.executeRaw), options: tx.options, commit: () => tx.commit(), rollback: () => tx.rollback() };
          try {
            await run.executeRaw(TAKE_WRITE_LOCK);
          } catch (err) {
            await abandon(tx);
            throw err;
          }
          return wrapped;
        },
      };
    },
  };
}

export function createDb(databaseUrl: string) {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter: busyRetryingAdapter(adapter) });
}

export type Db = ReturnType<typeof createDb>;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** WAL lets readers carry on while one process writes. */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
}

/**
 * A read-then-write transaction that several processes can run at once: it holds the write lock from
 * its start (see TAKE_WRITE_LOCK, which waits out another process's lock like any statement), so
 * nothing is half-written and no other writer slips in between its reads and its writes.
 */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  // One connection serves a process's transactions in turn, and a lock may be waited out inside.
  return db.$transaction(work, { maxWait: 30_000, timeout: 30_000 });
}

/** SQLite's codes for "this write cannot happen now": lock held, file or disk refusing, file gone. */
const UNWRITABLE = /^SQLITE_(BUSY|LOCKED|IOERR|READONLY|FULL|CANTOPEN)/;
/** Prisma's: the statement timed out on the lock (P1008), or no transaction could start in time (P2028). */
const PRISMA_UNAVAILABLE = new Set(['P1008', 'P2028']);

/**
 * True when an error means the database could not be written right now (another process kept the lock
 * past the retries, or the file or disk refused the write), as opposed to a bad request or a bug.
 * Nothing was written: the statement, or its whole transaction, was rolled back.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let cause = err, depth = 0; cause && depth < 5; depth++) {
    if (isDriverBusy(cause)) return true;
    if (isDriverAdapterError(cause) && 'originalCode' in cause.cause && UNWRITABLE.test(String(cause.cause.originalCode))) return true;
    const { code, meta } = cause as { code?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof code === 'string' && (UNWRITABLE.test(code) || PRISMA_UNAVAILABLE.has(code))) return true;
    cause = meta?.driverAdapterError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}
