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

/** Runs one statement, waiting out another process's lock between short attempts (about 15 s in all). */
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
          const wrapped = { ...statements(tx), options: tx.options, commit: () => tx.commit(), rollback: () => tx.rollback() };
          try {
            await wrapped.executeRaw(TAKE_WRITE_LOCK);
          } catch (err) {
            await tx.rollback();
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
