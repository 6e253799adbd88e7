/**
 * Another process holds the database's write lock for longer than the busy timeout while approvers
 * accept ten items: the writes wait, fail, are retried by Temporal, and land once each.
 */
import Database from 'better-sqlite3';
import { sqliteFilePath } from '../../platform/database-url';
import { APPROVER, PM, changeOrderBody } from '../support/fixtures';
import { companyWithSyncedCommitment } from '../support/flows';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(() => h?.stop());

test('a database locked for 12 s delays decisions and exports, and loses or doubles nothing', async () => {
  const refs = Array.from({ length: 10 }, (_, i) => `CO-L${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `L${i + 1}` }));
    await h.desk.send('cco', ref, PM);
  }

  const intruder = new Database(sqliteFilePath(h.databaseUrl));
  intruder.exec('BEGIN EXCLUSIVE');
  const lockedAt = Date.now();
  const decisions = refs.map((ref) => h.desk.accept('cco', ref, { by: APPROVER }));
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  // Nothing moved while the lock was held.
  expect(await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'ReadyToExport' } })).toBe(refs.length);
  intruder.exec('COMMIT');
  intruder.close();

  await Promise.all(decisions);
  await eventually(async () => (await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'Synced' } })) === refs.length, 'every item Synced', 120_000);
  expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(12_000);
  const records = await h.db.erpRecord.findMany({ where: { itemRef: { in: refs } }, include: { history: true } });
  for (const record of records) expect(record.history.map((e) => e.action)).toEqual(['sent', 'accepted', 'exported']);
  const exports = await h.db.sandboxExport.groupBy({ by: ['itemRef'], where: { itemRef: { in: refs } }, _count: { _all: true } });
  expect(exports).toHaveLength(refs.length);
  expect(exports.every((e) => e._count._all === 1)).toBe(true);
});
