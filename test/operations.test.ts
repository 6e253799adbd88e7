import { approvalWorkflowId } from '../domain/item-types';
import fs from 'node:fs';
import path from 'node:path';
import { createDb } from '../store/prisma';
import { releaseItem } from '../services/operations';
import { countRows, exportFile, loadRows, type TableCounts } from '../store/transfer';
import { runEntry } from './support/processes';
import { applyMigrations } from '../store/migrations';
import { dropDatabase, emptyDatabaseUrl } from './support/databases';
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
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'x' })).rejects.toMatchObject({
    code: 'invalid_request',
    message: expect.stringContaining('has a running round'),
  });

  await h.sandbox.injectFault({ itemRef: 'CO-T2', transientFailures: 1000 });
  await h.desk.accept('cco', 'CO-T2', { by: APPROVER });
  await h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-T2')).terminate('stuck export');
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'x' })).rejects.toMatchObject({
    message: expect.stringContaining('Check the ERP first'),
  });
  // Its last export call may still be under way: not even --force releases it until that call must have ended.
  await expect(releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'Not in Sage; checked', force: true })).rejects.toMatchObject({
    code: 'invalid_request',
    message: expect.stringMatching(/export under key erp:cco:CO-T2#1 was called at .* and may still reach the ERP: nothing was released/),
  });
  expect((await h.desk.view('cco', 'CO-T2')).erp.status).toBe('Exporting');
  // Once that time has passed (here: calls are taken to end at once), the checked release goes ahead.
  await expect(
    releaseItem(h.db, h.client, 'cco', 'CO-T2', { reason: 'Not in Sage; checked', force: true, exportCallMaxMs: 0 }),
  ).resolves.toMatchObject({
    from: 'Exporting',
  });
});

test('a backup taken while the product runs restores whole into an empty database, and only into an empty one', async () => {
  const file = path.join(process.env.TEST_TMP_DIR as string, `backup-${Date.now()}.jsonl`);
  // Taken by the operator's command where TZ is not UTC: dates are kept as stored (UTC), not shifted.
  const backup = runEntry('ops', { DATABASE_URL: h.databaseUrl, TZ: 'America/Chicago' }, { args: ['backup', file] });
  expect(await backup.exited).toBe(0);
  expect(backup.output()).toMatch(/^Exported postgresql:\/\/.+ to .+: User \d+, .*HistoryEntry \d+/m);
  const written = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]!).counts as TableCounts;
  expect(written.HistoryEntry).toBeGreaterThan(0);

  const target = await emptyDatabaseUrl();
  await applyMigrations(target);
  const restored = createDb(target);
  try {
    expect(await loadRows(target, await exportFile(file))).toEqual(await countRows(h.databaseUrl));
    // The rows themselves, with their types: amounts (64-bit), JSON, dates, booleans.
    const lines = (db: typeof h.db) => db.sovLine.findMany({ orderBy: [{ commitmentRef: 'asc' }, { lineNo: 'asc' }] });
    expect(await lines(restored)).toEqual(await lines(h.db));
    const history = (db: typeof h.db) => db.historyEntry.findMany({ orderBy: { id: 'asc' } });
    expect(await history(restored)).toEqual(await history(h.db));
    expect(await restored.costCode.findMany({ orderBy: { code: 'asc' } })).toEqual(
      await h.db.costCode.findMany({ orderBy: { code: 'asc' } }),
    );
    // New rows get ids after the restored ones.
    const erp = await restored.erpRecord.create({ data: { itemType: 'project', itemRef: 'P-NEW', projectRef: 'P-NEW' } });
    expect(erp.id).toBeGreaterThan((await h.db.erpRecord.aggregate({ _max: { id: true } }))._max.id ?? 0);

    await expect(loadRows(target, await exportFile(file))).rejects.toThrow(/not empty \(User: \d+/);
    expect(await restored.erpRecord.count()).toBe(written.ErpRecord + 1);
  } finally {
    await restored.$disconnect();
    await dropDatabase(target);
  }
});
