/** The Temporal dev server stops and starts again on the same database file while items wait in review. */
import path from 'node:path';
import { APPROVER, APPROVER_2, PM, changeOrderBody } from '../support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from '../support/flows';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/processes';

let h: Harness;

beforeAll(async () => {
  const dbFilename = path.join(process.env.TEST_TMP_DIR as string, `temporal-${Date.now()}.db`);
  h = await startHarness({ persistTemporal: { dbFilename, port: await freePort() } });
  await companyWithSyncedCommitment(h);
});

afterAll(() => h?.stop());

test('every approval waiting in review survives a restart and can still be accepted or rejected', async () => {
  const refs = Array.from({ length: 20 }, (_, i) => `CO-R${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `R${i + 1}` }));
    await h.desk.send('cco', ref, PM);
  }

  await h.restartTemporal();

  const [toAccept, toReject] = [refs.slice(0, 10), refs.slice(10)];
  await Promise.all([
    ...toAccept.map((ref) => h.desk.accept('cco', ref, { by: APPROVER })),
    ...toReject.map((ref) => h.desk.reject('cco', ref, { by: APPROVER_2, reason: 'After the restart' })),
  ]);
  for (const ref of toAccept)
    expect((await untilStatus(h, 'cco', ref, 'Synced')).history.map((e) => e.action)).toEqual(['sent', 'accepted', 'exported']);
  for (const ref of toReject)
    expect((await h.desk.view('cco', ref)).erp).toMatchObject({ status: 'Rejected', lastRejectionReason: 'After the restart' });
  expect(await h.db.sandboxExport.count({ where: { itemRef: { in: toAccept } } })).toBe(10);
});
