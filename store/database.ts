/** Databases on a PostgreSQL server: URLs, creating and dropping them, a plain client for a moment. */
import { Client, type ClientConfig } from 'pg';

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** Query parameters of a libpq URL that carry a secret. */
const SECRET_PARAMETERS = /^(password|sslpassword)$/i;

/**
 * The URL without its secrets (the password, as userinfo or a libpq `password=` parameter), for
 * banners, logs and error messages; a URL that cannot be read is not repeated at all.
 */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return '(a database URL that cannot be read)';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) if (SECRET_PARAMETERS.test(name)) parsed.searchParams.set(name, '***');
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
