import { approvalWorkflowId } from '../domain/item-types';
import fs from 'node:fs';
import path from 'node:path';
import { createDb } from '../store/prisma';
import { backupDatabase, releaseItem } from '../services/operations';
import { APPROVER, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(() => h?.stop());

test('a terminated round is explained, and an operator can release the item to its creator', async () => {
  await h.intake.upsertChangeOrder('CO-T1', changeOrderBody({ number: 'T1' }));
  await h.desk.send('cco', 'CO-T1', PM);
  await h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-T1')).terminate('operator test');

  await expect(h.desk.accept('cco', 'CO-T1', { by: APPROVER })).rejects.toMatchObject({
    code: 'round_not_running',
    message: expect.stringContaining('npm run ops -- release cco CO-T1'),
  });
  await expect(h.desk.send('cco', 'CO-T1', PM)).rejects.toMatchObject({ code: 'already_in_review' });

  const released = await releaseItem(h.db, h.client, 'cco', 'CO-T1', { reason: 'Round terminated while Temporal was migrated' });
  expect(released).toMatchObject({ from: 'ReadyToExport', to: 'Retrieved' });
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T1', { reason: 'again' })).rejects.toMatchObject({ code: 'not_awaiting_decision' });

  await h.desk.send('cco', 'CO-T1', PM);
  await h.desk.accept('cco', 'CO-T1', { by: APPROVER });
  const view = await untilStatus(h, 'cco', 'CO-T1', 'Synced');
  expect(view.history.map((e) => e.action)).toEqual(['sent', 'released by an operator', 'sent', 'accepted', 'exported']);
  expect(view.history[1]?.reason).toBe('Round terminated while Temporal was migrated');
});

test('a running round cannot be released, and an interrupted export needs --force', async () => {
  await h.intake.upsertChangeOrder('CO-T2', changeOrderBody({ number: 'T2' }));
  await h.desk.send('cco', 'CO-T2', PM);
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'x' })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('has a running round') });

  await h.sandbox.injectFault({ itemRef: 'CO-T2', transientFailures: 1000 });
  await h.desk.accept('cco', 'CO-T2', { by: APPROVER });
  await h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-T2')).terminate('stuck export');
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'x' })).rejects.toMatchObject({ message: expect.stringContaining('Check the ERP first') });
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'Not in Sage; checked', force: true })).resolves.toMatchObject({ from: 'Exporting' });
});

test('an online backup is a consistent copy of the database', async () => {
  const copy = path.join(process.env.TEST_TMP_DIR as string, `backups-${Date.now()}`, 'erp.db');
  await backupDatabase(h.databaseUrl, copy);
  const restored = createDb(`file:${copy}`);
  try {
    expect(await restored.erpRecord.count()).toBe(await h.db.erpRecord.count());
    expect(await restored.historyEntry.count()).toBeGreaterThan(0);
  } finally {
    await restored.$disconnect();
    fs.rmSync(copy, { force: true });
  }
});
