import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import { sqliteFilePath } from '../platform/database-url';

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createDb(databaseUrl: string): Db {
  // Several processes (worker, bot, API) may share the file: wait for a lock instead of failing at once.
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: 10_000 });
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
export async function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "ErpRecord" SET "round" = "round" WHERE 1 = 0');
        return work(tx);
      });
    } catch (err) {
      if (attempt >= attempts || !(err instanceof Error) || !BUSY.test(err.message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}
