import fs from 'node:fs';
import { onServer, quoteIdent } from '../../store/database';

/** Drops the run's databases (a harness that failed to stop leaves its own) and stops an embedded server. */
export default async function globalTeardown(): Promise<void> {
  const run = globalThis.__erpTestRun;
  if (!run) return;
  await onServer(run.server, async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${run.prefix}\\_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  });
  await run.embedded?.stop();
  fs.rmSync(run.dir, { recursive: true, force: true });
}
