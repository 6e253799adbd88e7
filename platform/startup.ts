import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError } from './config';

/** Runs a process's main; a configuration problem prints one line per problem and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    if (err instanceof ConfigError) {
      console.error('Configuration problems:');
      for (const problem of err.problems) console.error(`  ${problem}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}

/** Applies the committed migrations, exactly as `npm run db:migrate` does. */
export function applyMigrations(databaseUrl: string): void {
  const prisma = path.join(__dirname, '..', 'node_modules', '.bin', 'prisma');
  execFileSync(prisma, ['migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'inherit'] });
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
