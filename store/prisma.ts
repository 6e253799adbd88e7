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
