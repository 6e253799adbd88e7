/**
 * Test databases: one per harness on the test PostgreSQL server, each a copy of a template migrated
 * once per run (CREATE DATABASE … TEMPLATE: milliseconds), dropped when the harness stops.
 *
 * The server is TEST_DATABASE_URL, else the machine's at 127.0.0.1:5432 (user postgres), else an
 * embedded PostgreSQL started for the run, so a contributor's laptop needs nothing installed.
 */
import { randomUUID } from 'node:crypto';
import { createDatabase, dropDatabase, withClient, withDatabase } from '../../store/database';

export const DEFAULT_TEST_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Whether a PostgreSQL server answers at `url`. */
export async function serverAnswers(url: string): Promise<boolean> {
  return withClient(url, async (client) => void (await client.query('SELECT 1')), { connectionTimeoutMillis: 3_000 }).then(
    () => true,
    () => false,
  );
}

/** The run's server (set by the global set-up). */
export function testServerUrl(): string {
  const url = process.env.TEST_DB_SERVER;
  if (!url) throw new Error('TEST_DB_SERVER is unset: the tests run through jest, whose global set-up prepares the database server.');
  return url;
}

/** A new database for one harness, copied from the run's migrated template. */
export async function freshDatabaseUrl(): Promise<string> {
  const url = withDatabase(testServerUrl(), `${process.env.TEST_DB_PREFIX}_${randomUUID().slice(0, 8)}`);
  for (let attempt = 1; ; attempt++) {
    try {
      await createDatabase(url, process.env.TEST_DB_TEMPLATE);
      return url;
    } catch (err) {
      // Two copies of one template at the same instant: PostgreSQL refuses the second for a moment.
      if (attempt >= 20 || !/being accessed by other users/.test(String((err as Error).message))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** An empty database (no tables, no migrations), for tests of migrating and loading. */
export async function emptyDatabaseUrl(): Promise<string> {
  const url = withDatabase(testServerUrl(), `${process.env.TEST_DB_PREFIX}_${randomUUID().slice(0, 8)}`);
  await createDatabase(url);
  return url;
}

export { dropDatabase };
