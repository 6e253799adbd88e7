/**
 * 200 exports in flight when the worker process is killed with SIGKILL; a new worker takes over.
 * Checked on the ERP's side and in the database: every item exported exactly once and Synced. Then
 * the same with answers lost for good: across rounds, still one record per item in the ERP.
 */
import { approvalWorkflowId } from '../../domain/item-types';
import { ApprovalDesk } from '../../services/approval-desk';
import { APPROVER, PM, changeOrderBody } from '../support/fixtures';
import { companyWithSyncedCommitment, expectEachSyncedOnce, sentChangeOrders } from '../support/flows';
import { eventually, startHarness, TEST_RULES, type Harness } from '../support/harness';
import { runWorkerFor, type Running } from '../support/processes';

const ITEMS = 200;
let h: Harness;
const workers: Running[] = [];
const startWorker = async () => workers.push(await runWorkerFor(h));

beforeAll(async () => {
  h = await startHarness({
    noWorker: true,
    exportPolicy: { initialIntervalMs: 100, maximumIntervalMs: 1_000, maximumAttempts: 20, startToCloseMs: 4_000 },
  });
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

  await eventually(
    async () => (await h.db.sandboxExport.count({ where: { itemRef: { startsWith: 'CO-K' } } })) >= 20,
    'some exports to be booked',
    60_000,
  );
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

test('SIGKILL while exports lose their answers; Failed to Export, rejected, re-sent, accepted: still one ERP record each', async () => {
  const ITEMS_LOST = 10;
  // Few attempts, so round 1 gives up while the ERP holds bookings whose answers never came.
  const desk = new ApprovalDesk({
    db: h.db,
    client: h.client,
    taskQueue: h.taskQueue,
    ...TEST_RULES,
    exportPolicy: { initialIntervalMs: 100, maximumIntervalMs: 500, maximumAttempts: 4, startToCloseMs: 3_000 },
    transport: h.sandbox,
  });
  const refs = Array.from({ length: ITEMS_LOST }, (_, i) => `CO-J${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `J${i + 1}` }));
    await h.sandbox.injectFault({ itemRef: ref, lostAnswers: 1_000, delayMs: 300 });
    await desk.send('cco', ref, PM);
  }
  await Promise.all(refs.map((ref) => desk.accept('cco', ref, { by: APPROVER })));
  await eventually(async () => (await h.db.sandboxExport.count({ where: { itemRef: { in: refs } } })) >= 3, 'some exports booked', 60_000);
  const current = workers[workers.length - 1]!;
  current.child.kill('SIGKILL');
  await current.exited;
  await startWorker();

  await eventually(
    async () => (await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'FailedToExport' } })) === ITEMS_LOST,
    'every round to give up',
    120_000,
  );
  const firstBookings = new Map((await h.db.sandboxExport.findMany({ where: { itemRef: { in: refs } } })).map((e) => [e.itemRef, e.erpId]));
  expect(firstBookings.size).toBe(ITEMS_LOST);

  for (const ref of refs) {
    await desk.reject('cco', ref, { by: APPROVER, reason: 'The ERP never answered; sending again' });
    await h.sandbox.clearFault(ref);
  }
  // Rounds whose notices were in flight on the killed worker close once those time out and retry.
  for (const ref of refs) await h.client.workflow.getHandle(approvalWorkflowId('cco', ref)).result();
  for (const ref of refs) await desk.resend('cco', ref, PM);
  await Promise.all(refs.map((ref) => desk.accept('cco', ref, { by: APPROVER })));
  await eventually(
    async () => (await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'Synced' } })) === ITEMS_LOST,
    'every item Synced',
    120_000,
  );

  const ledger = await h.db.sandboxExport.findMany({ where: { itemRef: { in: refs } } });
  expect(ledger).toHaveLength(ITEMS_LOST);
  expect(ledger.every((e) => e.idempotencyKey.endsWith('#1'))).toBe(true);
  for (const record of await h.db.erpRecord.findMany({ where: { itemRef: { in: refs } } }))
    expect(record.erpId).toBe(firstBookings.get(record.itemRef));
});
