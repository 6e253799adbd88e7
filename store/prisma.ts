import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import { sqliteFilePath } from '../platform/database-url';


/**
 * How long one statement waits for another process's write lock. better-sqlite3 waits synchronously,
 * freezing this process, so the wait is kept short and longer locks are waited out between retries
 * (see `writeTransaction`, and Temporal's activity retries).
 */
export const BUSY_TIMEOUT_MS = 250;

/** SQLite said another process holds the lock (Prisma reports the busy timeout as P1008). */
export function isBusy(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (err as { code?: string }).code === 'P1008' || /database is locked|SQLITE_BUSY/i.test(err.message);
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 25 * 2 ** attempt) + Math.random() * 25));

export function createDb(databaseUrl: string) {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter }).$extends({
    query: {
      // Every statement waits out another process's lock between short attempts (about 15 s in all).
      async $allOperations({ args, query }) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await query(args);
          } catch (err) {
            if (attempt >= 12 || !isBusy(err)) throw err;
            await pause(attempt);
          }
        }
      },
    },
  });
}

export type Db = ReturnType<typeof createDb>;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];


/** WAL lets readers carry on while one process writes. */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
}

/**
 * A read-then-write transaction that several processes can run at once. SQLite refuses, without
 * waiting, a transaction that read first and then wants to write while another process wrote; so
 * the transaction takes the write lock before it reads (a write that touches no row), and a refusal
 * that still slips through is retried from the start. Nothing is half-written either way.
 */
export async function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('UPDATE "ErpRecord" SET "round" = "round" WHERE 1 = 0');
          return work(tx);
        },
        // One connection serves a process's transactions in turn, and a lock may be waited out inside.
        { maxWait: 30_000, timeout: 30_000 },
      );
    } catch (err) {
      if (attempt >= attempts || !isBusy(err)) throw err;
      await pause(attempt);
    }
  }
}
