/**
 * A worker process is killed with SIGKILL while an export is in flight (the ERP has booked it, the
 * answer has not come back). A new worker picks the round up and the item is exported exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { APPROVER, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';

let h: Harness;
const children: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, '..', 'bin', 'worker.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: h.address,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      DATABASE_URL: h.databaseUrl,
      ERP_CONNECTOR: 'sandbox',
      WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') console.error(`worker exited ${code ?? signal}:\n${output}`);
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  h = await startHarness({ noWorker: true });
  startWorkerProcess();
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  const exits = children
    .filter((child) => child.exitCode === null && child.signalCode === null)
    .map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(exits);
  await h?.stop();
});

test('a worker killed mid-export is replaced and the item is exported exactly once', async () => {
  const [first] = children;
  await h.intake.upsertChangeOrder('CO-K1', changeOrderBody({ number: 'K1' }));
  // The ERP books the export, then takes 30 s to answer: the worker dies waiting.
  await h.sandbox.injectFault({ itemRef: 'CO-K1', delayMs: 30_000 });

  await h.desk.send('cco', 'CO-K1', PM);
  await h.desk.accept('cco', 'CO-K1', { by: APPROVER });
  await eventually(async () => (await h.sandbox.exportsFor('CO-K1')).length === 1, 'the ERP to book the export');
  first!.kill('SIGKILL');
  await new Promise((resolve) => first!.once('exit', resolve));

  await h.sandbox.clearFault('CO-K1');
  startWorkerProcess();
  const synced = await untilStatus(h, 'cco', 'CO-K1', 'Synced');

  const exports = await h.sandbox.exportsFor('CO-K1');
  expect(exports).toHaveLength(1);
  // The second attempt arrived with the same idempotency key and got the booked id back.
  expect(exports[0]).toMatchObject({ idempotencyKey: 'erp:cco:CO-K1#1', calls: 2, erpId: synced.erp.erpId });
  expect(synced.history.map((e) => e.action)).toEqual(['sent', 'accepted', 'exported']);
});
