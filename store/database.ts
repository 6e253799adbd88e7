/**
 * Where the database is: DATABASE_URL (any PostgreSQL 14 or later), or else the embedded server that
 * `npm start` runs with its data under ./data/postgres.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, type ClientConfig } from 'pg';
import type { Config } from '../runtime/config';
import { EmbeddedPostgres } from '../runtime/embedded-postgres';
import { StartupProblem } from '../runtime/startup-problem';
import { createDb, type Db, type PoolSettings } from './prisma';

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

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** The URL without its password, for banners and logs. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** A name as a quoted SQL identifier. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs `work` on one plain connection (outside the product's pools), closed afterwards. */
export async function withClient<T>(
  url: string,
  work: (client: Client) => Promise<T>,
  options: Omit<ClientConfig, 'connectionString'> = {},
): Promise<T> {
  const client = new Client({ connectionTimeoutMillis: 10_000, ...options, connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `work` on a plain connection to the server's maintenance database (`postgres`). */
export function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(withDatabase(url, 'postgres'), work);
}

/** Creates the URL's database unless it exists (optionally as a copy of a template database). */
export async function createDatabase(url: string, template?: string): Promise<void> {
  const name = databaseName(url);
  await onServer(url, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`));
}

/** The process's database client, sized by DATABASE_POOL_SIZE and DATABASE_POOL_TIMEOUT_MS. */
export function openDatabase(config: Config, url = databaseUrl(config)): Db {
  return createDb(url, poolSettings(config));
}
