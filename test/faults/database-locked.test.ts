/**
 * Another connection holds the database's write lock, as another process would, for longer than the
 * API waits (about 16 s) while approvers accept ten items: the worker's writes wait, fail, are retried
 * by Temporal and land once each; the API process gives up with a 503 and writes nothing.
 */
import Database from 'better-sqlite3';
import { sqliteFilePath } from '../../platform/database-url';
import { APPROVER } from '../support/fixtures';
import { companyWithSyncedCommitment, expectEachSyncedOnce, sentChangeOrders } from '../support/flows';
import { startHarness, type Harness } from '../support/harness';
import { runApiFor } from '../support/processes';


let h: Harness;
let api: Awaited<ReturnType<typeof runApiFor>> | undefined;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  await api?.stop();
  await h?.stop();
});

test('a locked database delays decisions and exports, the API answers 503, and nothing is lost or doubled', async () => {
  const refs = await sentChangeOrders(h, 'L', 10);
  api = await runApiFor(h);
  const putVendor = () => api!.put('/vendors/V-LOCK', { name: 'Locked Out Supply' });

  const intruder = new Database(sqliteFilePath(h.databaseUrl));
  intruder.exec('BEGIN EXCLUSIVE');
  const lockedAt = Date.now();
  let decisions: Promise<unknown>[];
  try {
    decisions = refs.map((ref) => h.desk.accept('cco', ref, { by: APPROVER }));
    // The API process waits the lock out for a while, then gives up with a clear answer.
    const refused = await putVendor();
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(15_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'database_unavailable' });
    // Nothing moved while the lock was held.
    expect(await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'ReadyToExport' } })).toBe(refs.length);
  } finally {
    intruder.exec('COMMIT');
    intruder.close();
  }
  expect(await h.db.vendor.count({ where: { id: 'V-LOCK' } })).toBe(0);
  expect((await putVendor()).status).toBe(200);

  await Promise.all(decisions);
  await expectEachSyncedOnce(h, refs, 120_000);
});
