/**
 * Where a process's database is: DATABASE_URL (any PostgreSQL 14 or later), or else the embedded server
 * that `npm start` runs with its data under ./data/postgres.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { EmbeddedPostgres } from './embedded-postgres';
import { StartupProblem } from '../store/startup-problem';
import { createDb, type Db, type PoolSettings } from '../store/prisma';

/** The database the product keeps its tables in on the embedded server. */
const EMBEDDED_DATABASE = 'erp_approvals';

export function embeddedPostgres(config: Pick<Config, 'EMBEDDED_DATABASE_PORT'>): EmbeddedPostgres {
  return new EmbeddedPostgres({ dir: path.resolve('data', 'postgres'), port: config.EMBEDDED_DATABASE_PORT });
}

/**
 * DATABASE_URL, or the embedded server's URL when `npm start` has created one here (so `npm run seed`,
 * `ops` and `demo` beside a running `npm start` need no setting).
 */
export function databaseUrl(config: Pick<Config, 'DATABASE_URL' | 'EMBEDDED_DATABASE_PORT'>): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const embedded = embeddedPostgres(config);
  if (!fs.existsSync(embedded.dataDir)) {
    throw new StartupProblem(
      'DATABASE_URL is not set, and no embedded database has been created in ./data yet. Set DATABASE_URL=postgresql://user:password@host:5432/database, or run npm start once.',
    );
  }
  return embedded.url(EMBEDDED_DATABASE);
}

function poolSettings(config: Pick<Config, 'DATABASE_POOL_SIZE' | 'DATABASE_POOL_TIMEOUT_MS'>): PoolSettings {
  return { size: config.DATABASE_POOL_SIZE, acquireTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS };
}

/** The process's database client, sized by DATABASE_POOL_SIZE and DATABASE_POOL_TIMEOUT_MS. */
export function openDatabase(config: Config, url = databaseUrl(config)): Db {
  return createDb(url, poolSettings(config));
}
