/**
 * Another connection holds the database's write lock, as another process would, for longer than the
 * API waits (about 16 s) while approvers accept ten items: the worker's writes wait, fail, are retried
 * by Temporal and land once each; the API process gives up with a 503 and writes nothing.
 */
import Database from 'better-sqlite3';
import { sqliteFilePath } from '../../platform/database-url';
import { APPROVER, PM, changeOrderBody } from '../support/fixtures';
import { companyWithSyncedCommitment } from '../support/flows';
import { eventually, startHarness, type Harness } from '../support/harness';
import { runApiFor } from '../support/processes';


let h: Harness;
let api: Awaited<ReturnType<typeof runApiFor>> | undefined;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  api?.child.kill('SIGTERM');
  await api?.exited;
  await h?.stop();
});

test('a locked database delays decisions and exports, the API answers 503, and nothing is lost or doubled', async () => {
  const refs = Array.from({ length: 10 }, (_, i) => `CO-L${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `L${i + 1}` }));
    await h.desk.send('cco', ref, PM);
  }
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
  await eventually(async () => (await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'Synced' } })) === refs.length, 'every item Synced', 120_000);
  const records = await h.db.erpRecord.findMany({ where: { itemRef: { in: refs } }, include: { history: true } });
  for (const record of records) expect(record.history.map((e) => e.action)).toEqual(['sent', 'accepted', 'exported']);
  const exports = await h.db.sandboxExport.groupBy({ by: ['itemRef'], where: { itemRef: { in: refs } }, _count: { _all: true } });
  expect(exports).toHaveLength(refs.length);
  expect(exports.every((e) => e._count._all === 1)).toBe(true);
});
