/**
 * 200 exports in flight when the worker process is killed with SIGKILL; a new worker takes over.
 * Checked on the ERP's side and in the database: every item exported exactly once and Synced.
 */
import { APPROVER } from '../support/fixtures';
import { companyWithSyncedCommitment, expectEachSyncedOnce, sentChangeOrders } from '../support/flows';
import { eventually, startHarness, type Harness } from '../support/harness';
import { runWorkerFor, type Running } from '../support/processes';

const ITEMS = 200;
let h: Harness;
const workers: Running[] = [];
const startWorker = async () => workers.push(await runWorkerFor(h));

beforeAll(async () => {
  h = await startHarness({ noWorker: true, exportPolicy: { initialIntervalMs: 100, maximumIntervalMs: 1_000, maximumAttempts: 20, startToCloseMs: 4_000 } });
  await startWorker();
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h?.stop();
});

test(`SIGKILL in the middle of ${ITEMS} exports: each exported exactly once, all Synced`, async () => {
  const refs = await sentChangeOrders(h, 'K', ITEMS);
  // The ERP books each export, then answers slowly: the kill lands between the booking and the answer.
  await h.sandbox.injectFault({ itemRef: '*', delayMs: 2_500 });
  await Promise.all(refs.map((ref) => h.desk.accept('cco', ref, { by: APPROVER })));

  await eventually(async () => (await h.db.sandboxExport.count({ where: { itemRef: { startsWith: 'CO-K' } } })) >= 20, 'some exports to be booked', 60_000);
  const first = workers[0]!;
  first.child.kill('SIGKILL');
  await first.exited;
  // The kill landed mid-export: the ERP had booked exports whose answers the worker never recorded.
  const bookedAtKill = await h.db.sandboxExport.count({ where: { itemRef: { startsWith: 'CO-K' } } });
  const syncedAtKill = await h.db.erpRecord.count({ where: { itemRef: { startsWith: 'CO-K' }, status: 'Synced' } });
  expect(syncedAtKill).toBeLessThan(bookedAtKill);

  await h.sandbox.clearFault('*');
  await startWorker();
  await expectEachSyncedOnce(h, refs, 180_000);
  // Exports whose answer was lost were asked again under the same key and answered with the booked id.
  expect(await h.db.sandboxExport.count({ where: { itemRef: { startsWith: 'CO-K' }, calls: { gt: 1 } } })).toBeGreaterThan(0);
  const records = await h.db.erpRecord.findMany({ where: { itemRef: { in: refs } } });
  for (const record of records) expect(record.erpId).toMatch(/^SBX-/);
});
