import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import { sqliteFilePath } from '../platform/database-url';

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * How long one statement waits for another process's write lock. better-sqlite3 waits synchronously,
 * freezing this process, so the wait is kept short and longer locks are waited out between retries
 * (see `writeTransaction`, and Temporal's activity retries).
 */
export const BUSY_TIMEOUT_MS = 250;

export function createDb(databaseUrl: string): Db {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

/** WAL lets readers carry on while one process writes. */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
}

const BUSY = /database is locked|SQLITE_BUSY/i;

/**
 * A read-then-write transaction that several processes can run at once. SQLite refuses, without
 * waiting, a transaction that read first and then wants to write while another process wrote; so
 * the transaction takes the write lock before it reads (a write that touches no row), and a refusal
 * that still slips through is retried from the start. Nothing is half-written either way.
 */
export async function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "ErpRecord" SET "round" = "round" WHERE 1 = 0');
        return work(tx);
      });
    } catch (err) {
      if (attempt >= attempts || !(err instanceof Error) || !BUSY.test(err.message)) throw err;
      // Up to about 15 s in all, the process free between attempts.
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 25 * 2 ** attempt) + Math.random() * 25));
    }
  }
}
