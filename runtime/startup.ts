import { DomainError } from '../domain/errors';
import { isDatabaseUnavailable } from '../store/prisma';
import { ConfigError } from './config';
import { StartupProblem } from '../store/startup-problem';

/** Runs a process's main; a configuration problem prints one line per problem and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    if (err instanceof ConfigError) {
      console.error('Configuration problems:');
      for (const problem of err.problems) console.error(`  ${problem}`);
    } else if (err instanceof StartupProblem || err instanceof DomainError) {
      console.error(err.message);
    } else if (isDatabaseUnavailable(err)) {
      const said = String((err as Error).message)
        .trim()
        .split('\n')
        .at(-1);
      console.error(
        `The database cannot be reached (${said}). Check DATABASE_URL, or, without it, that npm start is running with the embedded database on EMBEDDED_DATABASE_PORT (5433 unless set).`,
      );
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}

/** Calls `stop` once on SIGINT, SIGTERM or SIGHUP (the terminal closed, the SSH session dropped). */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
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
