/**
 * The database's migrations (prisma/migrations), applied by the product's own start-up, by
 * `npm run db:migrate`, and by a host with `applyMigrations` or `npx erp-approvals migrate` from any
 * directory, so nobody needs Prisma's CLI by hand. Migrations only ever add to what the
 * previous release reads, so they can be applied ahead of a rolling deploy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { displayUrl, withClient } from './database';
import { StartupProblem } from './startup-problem';

const PRISMA_DIR = path.join(__dirname, '..', 'prisma');
const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');

export function committedMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The migrations applied to the database (none when it has no migration table yet). */
export function appliedMigrations(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, migrationsOn);
}

/** The same, read on a connection already open (inside an export's snapshot, say). */
export async function migrationsOn(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string | null }>(`SELECT to_regclass('public._prisma_migrations')::text AS name`);
  if (!rows[0]?.name) return [];
  const applied = await client.query<{ migration_name: string }>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
  );
  return applied.rows.map((row) => row.migration_name);
}

/** 6.19's CLI wants the URL named in the schema's datasource; Prisma 7's client wants it absent. */
export function withUrl(schema: string): string {
  return schema.replace(/(datasource db \{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url      = env("DATABASE_URL")');
}

/**
 * Runs Prisma 6.19's CLI on this very Node with the migration config (prisma/migrate.config.ts);
 * `args` gets the path of the schema copy it reads.
 */
export function prismaMigrateCli(args: (schema: string) => string[], databaseUrl: string) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-migrate-'));
  try {
    const schemaCopy = path.join(scratch, 'schema.prisma');
    fs.writeFileSync(schemaCopy, withUrl(fs.readFileSync(path.join(PRISMA_DIR, 'schema.prisma'), 'utf8')));
    const cli = require.resolve('prisma6/build/index.js');
    return spawnSync(
      process.execPath,
      [
        '--require',
        path.join(PRISMA_DIR, 'cli-preload.js'),
        cli,
        ...args(schemaCopy),
        '--config',
        path.join(PRISMA_DIR, 'migrate.config.ts'),
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          ERP_MIGRATION_SCHEMA: schemaCopy,
          // Both engines are unused with the JavaScript engine; pointed at an existing file, nothing is downloaded.
          PRISMA_QUERY_ENGINE_LIBRARY: __filename,
          PRISMA_SCHEMA_ENGINE_BINARY: __filename,
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          // No update check: an air-gapped install would wait for it to time out.
          CHECKPOINT_DISABLE: '1',
        },
        // Run beside the migrations, so the caller's directory (its .env, its own Prisma set-up) plays no part.
        cwd: PRISMA_DIR,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Applies the committed migrations, unless they are all applied already (a command run beside the
 * running product then touches nothing). Two processes starting at once are serialised by the
 * migration lock Prisma takes in the database.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  let applied: string[];
  try {
    applied = await appliedMigrations(databaseUrl);
  } catch (err) {
    throw new StartupProblem(
      `The database at ${displayUrl(databaseUrl)} cannot be reached: ${(err as Error).message}. Check DATABASE_URL and that the server is running.`,
    );
  }
  const pending = committedMigrations().filter((name) => !applied.includes(name));
  if (pending.length === 0) return [];
  const run = prismaMigrateCli(() => ['migrate', 'deploy'], databaseUrl);
  if (run.status !== 0)
    throw new StartupProblem(
      `Applying the database migrations to ${displayUrl(databaseUrl)} failed:\n${`${run.stderr ?? ''}${run.error?.message ?? ''}`.trim()}`,
    );
  return pending;
}

/** Applies the committed migrations and says what was done, in one line (for the migration commands). */
export async function applyMigrationsSaying(databaseUrl: string): Promise<string> {
  const applied = await applyMigrations(databaseUrl);
  return applied.length === 0
    ? `${displayUrl(databaseUrl)}: every migration is applied already.`
    : `${displayUrl(databaseUrl)}: applied ${applied.join(', ')}.`;
}
