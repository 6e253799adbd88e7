import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from './config';
import { sqliteFilePath } from './database-url';

/** A problem the person starting the program can fix: printed as its sentence, without a stack trace. */
export class StartupProblem extends Error {}

/** Runs a process's main; a configuration problem prints one line per problem and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    if (err instanceof ConfigError) {
      console.error('Configuration problems:');
      for (const problem of err.problems) console.error(`  ${problem}`);
    } else if (err instanceof StartupProblem) {
      console.error(err.message);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}

const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

/** Whether every committed migration is already applied (read-only: works beside a running app). */
function migrationsApplied(databaseUrl: string): boolean {
  const file = sqliteFilePath(databaseUrl);
  if (!fs.existsSync(file)) return false;
  const wanted = fs.readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
    const rows = db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string }[];
    const applied = new Set(rows.map((row) => row.migration_name));
    return wanted.every((name) => applied.has(name));
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/**
 * Applies the committed migrations, exactly as `npm run db:migrate` does — unless they are all applied
 * already, so a command run beside a running app (`npm run seed`) does not contend for its database.
 */
export function applyMigrations(databaseUrl: string): void {
  if (migrationsApplied(databaseUrl)) return;
  // The CLI runs on this very Node, whatever PATH holds.
  const prisma = require.resolve('prisma/build/index.js');
  const run = spawnSync(process.execPath, [prisma, 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status === 0) return;
  const said = `${run.stderr ?? ''}${run.error?.message ?? ''}`;
  if (/SocketTimeout|database is locked|SQLITE_BUSY/i.test(said)) {
    throw new StartupProblem(
      `The database ${sqliteFilePath(databaseUrl)} is busy (another process is writing to it), so its migrations could not be applied now. Try again in a moment.`,
    );
  }
  throw new StartupProblem(`Applying the database migrations failed:\n${said.trim()}`);
}

/** Calls `stop` once on SIGINT or SIGTERM. */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal).then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}
