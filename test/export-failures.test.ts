import { DEFAULT_ROUTE } from '../domain/routing';
import { approvalWorkflowId } from '../domain/item-types';
import { APPROVER, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually, startHarness, TEST_RULES, type Harness } from './support/harness';
import { createActivities } from '../activities';
import { RecordingNotifier } from '../store/notifications';
import { releaseItem } from '../services/operations';
import { lockRecord } from '../store/prisma';
import { moveRecord } from '../store/rounds';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(() => h?.stop());

/** The round's activities on this test's database, called directly as a worker would. */
function activitiesHere() {
  return createActivities({
    db: h.db,
    profile: TEST_RULES.profile,
    settings: TEST_RULES.settings,
    transport: h.sandbox,
    notifier: new RecordingNotifier(h.db),
  });
}

/** Until a statement containing `fragment` waits for a row lock. */
async function untilWaitingForLock(fragment: string): Promise<void> {
  await eventually(
    async () =>
      Number(
        (
          await h.db.$queryRawUnsafe<{ n: bigint }[]>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
            `%${fragment}%`,
          )
        )[0]?.n,
      ) > 0,
    'the retry to wait for the row lock',
  );
}

test('an export that fails twice for a passing outage is retried and lands once', async () => {
  await h.intake.upsertChangeOrder('CO-T1', changeOrderBody({ number: 'T1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-T1', transientFailures: 2 });

  await h.desk.send('cco', 'CO-T1', PM);
  await h.desk.accept('cco', 'CO-T1', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-T1', 'Synced');

  const fault = await h.db.sandboxFault.findUniqueOrThrow({ where: { itemRef: 'CO-T1' } });
  expect(fault.failuresSoFar).toBe(2);
  const exports = await h.sandbox.exportsFor('CO-T1');
  expect(exports).toHaveLength(1);
  expect(exports[0]).toMatchObject({ erpId: synced.erp.erpId, calls: 1, idempotencyKey: 'erp:cco:CO-T1#1' });
});

test('a permanent refusal ends in Failed to Export with the ERP message, and a retry then syncs it', async () => {
  await h.intake.upsertChangeOrder('CO-P1', changeOrderBody({ number: 'P1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-P1', permanentMessage: 'Job RC-24 is closed for posting in period 11/2026' });

  await h.desk.send('cco', 'CO-P1', PM);
  await h.desk.accept('cco', 'CO-P1', { by: APPROVER });
  const failed = await untilStatus(h, 'cco', 'CO-P1', 'FailedToExport');
  expect(failed.erp.exportError).toBe('Job RC-24 is closed for posting in period 11/2026');
  expect(failed.erp.locked).toBe(true);
  expect(failed.erp.availableActions).toEqual(['reject', 'retry-export']);
  // Locked means locked: the creator cannot change what the retry will export.
  await expect(
    h.intake.upsertChangeOrder('CO-P1', changeOrderBody({ number: 'P1', title: 'Retitled while failed' })),
  ).rejects.toMatchObject({
    code: 'item_locked',
    fields: ['title'],
    status: 'FailedToExport',
  });
  await expect(
    h.intake.upsertChangeOrder(
      'CO-P1',
      changeOrderBody({ number: 'P1', lines: [{ lineNo: 1, sovLineNo: 1, description: 'More', amount: '1.00' }] }),
    ),
  ).rejects.toMatchObject({ code: 'item_locked', fields: ['totalAmount', 'lines'] });
  const notice = await eventually(
    () => h.db.notification.findFirst({ where: { kind: 'export-failed', erpRecord: { itemRef: 'CO-P1' } } }).then((n) => n ?? undefined),
    'the export-failed notice',
  );
  expect(notice.payload).toMatchObject({ message: 'Job RC-24 is closed for posting in period 11/2026' });

  // Accounting reopens the period in the ERP, then retries.
  await h.sandbox.clearFault('CO-P1');
  await h.desk.retryExport('cco', 'CO-P1', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-P1', 'Synced');
  expect(synced.erp.exportError).toBeNull();
  expect(synced.history.map((e) => e.action)).toEqual([
    'sent',
    'accepted',
    'failed to export',
    'sent for another export attempt',
    'exported',
  ]);
  expect(synced.history[2]?.message).toBe('Job RC-24 is closed for posting in period 11/2026');
  expect(await h.sandbox.exportsFor('CO-P1')).toHaveLength(1);
});

test('a failed export can be rejected instead, which unlocks the item for the creator', async () => {
  await h.intake.upsertChangeOrder('CO-P2', changeOrderBody({ number: 'P2' }));
  await h.sandbox.injectFault({ itemRef: 'CO-P2', permanentMessage: 'Cost code 03-300 is inactive in Sage' });

  await h.desk.send('cco', 'CO-P2', PM);
  await h.desk.accept('cco', 'CO-P2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-P2', 'FailedToExport');

  const rejected = await h.desk.reject('cco', 'CO-P2', { by: APPROVER, reason: 'Use cost code 05-100 instead' });
  expect(rejected.erp.status).toBe('Rejected');
  expect(rejected.erp.locked).toBe(false);
  expect(await h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-P2')).result()).toMatchObject({ status: 'Rejected' });
  expect(await h.sandbox.exportsFor('CO-P2')).toHaveLength(0);
});

test('an ERP that stays down past the attempts budget ends in Failed to Export, saying so', async () => {
  await h.intake.upsertChangeOrder('CO-D1', changeOrderBody({ number: 'D1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-D1', transientFailures: 100 });

  await h.desk.send('cco', 'CO-D1', PM);
  await h.desk.accept('cco', 'CO-D1', { by: APPROVER });
  const failed = await untilStatus(h, 'cco', 'CO-D1', 'FailedToExport');
  expect(failed.erp.exportError).toMatch(/^The ERP could not be reached after 4 attempts: Sandbox ERP is temporarily unavailable/);
});

test('the export refuses an item the record does not show accepted for that round, and the ERP never hears of it', async () => {
  await h.intake.upsertChangeOrder('CO-G1', changeOrderBody({ number: 'G1' }));
  await h.desk.send('cco', 'CO-G1', PM);
  // A workflow that believed it accepted (stale, reset, or a bug) still cannot export: the record says Ready to Export.
  const activities = activitiesHere();
  await expect(activities.exportItem({ type: 'cco', ref: 'CO-G1', round: 1 })).rejects.toMatchObject({
    type: 'StatusConflict',
    message: expect.stringContaining('is ReadyToExport in round 1 in the database, not Exporting in round 1: nothing was sent to the ERP'),
  });
  await h.desk.accept('cco', 'CO-G1', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-G1', 'Synced');
  // An earlier round's number is refused as well, once the item is Synced.
  await expect(activities.exportItem({ type: 'cco', ref: 'CO-G1', round: 1 })).rejects.toMatchObject({ type: 'StatusConflict' });
  expect(await h.sandbox.exportsFor('CO-G1')).toEqual([expect.objectContaining({ calls: 1 })]);
});

test('an item whose export answer was lost is not voided while the ERP holds it; once the ERP is asked and has nothing, it is', async () => {
  // Booked by the ERP, every answer lost: Failed to Export, though the ERP has it.
  await h.intake.upsertChangeOrder('CO-L1', changeOrderBody({ number: 'L1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-L1', lostAnswers: 100 });
  await h.desk.send('cco', 'CO-L1', PM);
  await h.desk.accept('cco', 'CO-L1', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-L1', 'FailedToExport');
  await h.desk.reject('cco', 'CO-L1', { by: APPROVER, reason: 'Wrong period' });
  const [booked] = await h.sandbox.exportsFor('CO-L1');
  await expect(h.desk.void('cco', 'CO-L1', { by: PM })).rejects.toMatchObject({
    code: 'export_unresolved',
    message: expect.stringContaining(`is in the ERP as ${booked?.erpId}: round 1's export (key erp:cco:CO-L1#1)`),
  });
  expect((await h.desk.view('cco', 'CO-L1')).erp.status).toBe('Rejected');
  // Re-sent and accepted, the round finds it booked and exports nothing again.
  await h.sandbox.clearFault('CO-L1');
  await h.desk.resend('cco', 'CO-L1', PM);
  await h.desk.accept('cco', 'CO-L1', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-L1', 'Synced');
  expect(synced.erp.erpId).toBe(booked?.erpId);
  expect(await h.sandbox.exportsFor('CO-L1')).toHaveLength(1);

  // Never booked (the ERP was down for every attempt): the void asks the ERP, which has nothing, and goes ahead.
  await h.intake.upsertChangeOrder('CO-L2', changeOrderBody({ number: 'L2' }));
  await h.sandbox.injectFault({ itemRef: 'CO-L2', transientFailures: 100 });
  await h.desk.send('cco', 'CO-L2', PM);
  await h.desk.accept('cco', 'CO-L2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-L2', 'FailedToExport');
  await h.desk.reject('cco', 'CO-L2', { by: APPROVER, reason: 'Not this month' });
  expect((await h.desk.void('cco', 'CO-L2', { by: PM })).erp.status).toBe('Voided');
  expect(await h.db.exportAttempt.findMany({ where: { idempotencyKey: 'erp:cco:CO-L2#1' }, select: { outcome: true } })).toEqual([
    { outcome: 'NotBooked' },
  ]);
  expect(await h.sandbox.exportsFor('CO-L2')).toEqual([]);
});

test("an export the ERP booked for a round that was then terminated and released is the item's record: never voided, never exported again", async () => {
  // The ERP answers slowly; the round is terminated while its export is under way, and the export books it.
  await h.intake.upsertChangeOrder('CO-R1', changeOrderBody({ number: 'R1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-R1', delayMs: 1_000 });
  await h.desk.send('cco', 'CO-R1', PM);
  await h.desk.accept('cco', 'CO-R1', { by: APPROVER });
  await eventually(async () => (await h.sandbox.exportsFor('CO-R1')).length === 1, 'the ERP to book CO-R1');
  await h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-R1')).terminate('operator test');
  await eventually(
    async () => (await h.db.exportAttempt.findUnique({ where: { idempotencyKey: 'erp:cco:CO-R1#1' } }))?.outcome === 'Booked',
    'the export to be recorded booked',
  );
  // The operator releases it (forced: it was Exporting); the creator sends it again and it is rejected.
  await releaseItem(h.db, h.client, 'cco', 'CO-R1', { reason: 'Round terminated during an upgrade', force: true, exportCallMaxMs: 0 });
  await h.sandbox.clearFault('CO-R1');
  await h.desk.send('cco', 'CO-R1', PM);
  await h.desk.reject('cco', 'CO-R1', { by: APPROVER, reason: 'Check the ERP first' });
  const [booked] = await h.sandbox.exportsFor('CO-R1');
  await expect(h.desk.void('cco', 'CO-R1', { by: PM })).rejects.toMatchObject({
    code: 'export_unresolved',
    message: expect.stringContaining(
      `is in the ERP as ${booked?.erpId}: round 1's export (key erp:cco:CO-R1#1) was booked, so it cannot be voided`,
    ),
  });
  // Re-sent and accepted: the export finds round 1's booking and sends nothing.
  await h.desk.resend('cco', 'CO-R1', PM);
  await h.desk.accept('cco', 'CO-R1', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-R1', 'Synced');
  expect(synced.erp.erpId).toBe(booked?.erpId);
  expect(await h.sandbox.exportsFor('CO-R1')).toEqual([expect.objectContaining({ idempotencyKey: 'erp:cco:CO-R1#1', calls: 1 })]);
});

test('a change order whose export got no answer keeps its ID Number: a twin with the same number is not sent while the ERP may hold the first', async () => {
  await h.intake.upsertChangeOrder('CO-N1', changeOrderBody({ number: 'N1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-N1', lostAnswers: 100 });
  await h.desk.send('cco', 'CO-N1', PM);
  await h.desk.accept('cco', 'CO-N1', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-N1', 'FailedToExport');
  await h.desk.reject('cco', 'CO-N1', { by: APPROVER, reason: 'Wrong period' });

  await h.intake.upsertChangeOrder('CO-N1-TWIN', changeOrderBody({ number: 'n1' }));
  await expect(h.desk.send('cco', 'CO-N1-TWIN', PM)).rejects.toMatchObject({
    code: 'requirements_not_met',
    message: expect.stringContaining(
      'ID Number n1 is already used on commitment SC-001 by change order CO-N1 (Rejected, but its export may be in the ERP)',
    ),
  });
  expect(await h.sandbox.exportsFor('CO-N1-TWIN')).toEqual([]);
});

test('a retried move that waited for its earlier attempt to commit counts that attempt, not a conflict; a different event is a conflict', async () => {
  await h.intake.upsertChangeOrder('CO-W1', changeOrderBody({ number: 'W1' }));
  await h.desk.send('cco', 'CO-W1', PM);
  const activities = activitiesHere();
  const accept = { type: 'cco' as const, ref: 'CO-W1', transition: 'accept' as const, by: APPROVER, eventKey: 'erp:cco:CO-W1#1:1:accept' };
  // The first attempt holds the row lock, its move written but not committed, while a retry of the same move starts.
  let retry: Promise<void> | undefined;
  await h.db.$transaction(async (tx) => {
    const erp = await lockRecord(tx, 'cco', 'CO-W1');
    await moveRecord(tx, erp, 'Exporting', { actorId: APPROVER, action: 'accept', eventKey: accept.eventKey });
    retry = activities.recordTransition(accept);
    retry.catch(() => undefined);
    await untilWaitingForLock('WITH target AS');
  });
  await expect(retry).resolves.toBeUndefined();
  const entries = await h.db.historyEntry.findMany({ where: { eventKey: accept.eventKey } });
  expect(entries).toHaveLength(1);
  expect((await h.db.erpRecord.findFirstOrThrow({ where: { itemRef: 'CO-W1' } })).status).toBe('Exporting');

  // Another event's accept finds the item Exporting: that contradicts the round, and nothing is written.
  await expect(activities.recordTransition({ ...accept, eventKey: 'erp:cco:CO-W1#1:2:accept' })).rejects.toMatchObject({
    type: 'StatusConflict',
    message: 'cco CO-W1 is Exporting in the database; "accept" does not apply. An operator must reconcile it.',
  });
  expect(await h.db.historyEntry.count({ where: { erpRecord: { itemRef: 'CO-W1' } } })).toBe(2);
});

test('a retried send that waited for its earlier attempt to commit answers as that attempt did, not as a send of an item in review', async () => {
  await h.intake.upsertChangeOrder('CO-W2', changeOrderBody({ number: 'W2' }));
  const activities = activitiesHere();
  const send = { type: 'cco' as const, ref: 'CO-W2', kind: 'send' as const, round: 1, by: PM, eventKey: 'erp:cco:CO-W2#1:0:send' };
  let retry: ReturnType<typeof activities.openRound> | undefined;
  await h.db.$transaction(async (tx) => {
    const erp = await lockRecord(tx, 'cco', 'CO-W2');
    await moveRecord(tx, erp, 'ReadyToExport', { actorId: PM, action: 'send', eventKey: send.eventKey }, { round: 1 });
    retry = activities.openRound(send);
    retry.catch(() => undefined);
    await untilWaitingForLock('FOR UPDATE OF r');
  });
  await expect(retry).resolves.toEqual({ previousRejection: null, snapshotHash: null, route: DEFAULT_ROUTE });
  expect(await h.db.historyEntry.count({ where: { eventKey: send.eventKey } })).toBe(1);
});
