/**
 * The database file refuses writes for a while, as on a full or failing disk: every write fails with
 * a disk I/O error. The worker's activities fail and Temporal retries them until the file takes writes
 * again; the API answers 503 with a message and changes nothing. Afterwards every decision and every
 * export has landed exactly once.
 *
 * The fault is a file-size limit of 0 on one process (`prlimit --fsize`): each write to a regular file
 * then fails (EFBIG, which SQLite reports as SQLITE_IOERR_WRITE) while reads go on.
 */
import { execFileSync } from 'node:child_process';
import { approvalWorkflowId } from '../../domain/item-types';
import { APPROVER } from '../support/fixtures';
import { companyWithSyncedCommitment, expectEachSyncedOnce, sentChangeOrders } from '../support/flows';
import { eventually, startHarness, type Harness } from '../support/harness';
import { runApiFor, runWorkerFor, type Running } from '../support/processes';

let h: Harness;
let worker: Running;

/** Makes every file write of process `pid` fail until the returned function is called. */
function refuseWrites(pid: number): () => void {
  const soft = execFileSync('prlimit', ['--pid', String(pid), '--fsize', '--output', 'SOFT', '--noheadings'], { encoding: 'utf8' }).trim();
  execFileSync('prlimit', ['--pid', String(pid), '--fsize=0:']);
  return () => execFileSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:`]);
}

beforeAll(async () => {
  h = await startHarness({ noWorker: true });
  worker = await runWorkerFor(h);
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  await worker?.stop();
  await h?.stop();
});

test('decisions and exports wait while the worker cannot write, then land once each', async () => {
  const refs = await sentChangeOrders(h, 'W', 10);

  const restore = refuseWrites(worker.child.pid!);
  let decisions: Promise<unknown>[];
  try {
    decisions = refs.map((ref) => h.desk.accept('cco', ref, { by: APPROVER }));
    // Every decision's record has failed on the disk at least twice and is being retried, with no
    // limit on attempts (0 = unlimited): an outage of any length drops no decision.
    const retrying = await eventually(async () => {
      const rounds = await Promise.all(refs.map((ref) => h.client.workflow.getHandle(approvalWorkflowId('cco', ref)).describe()));
      const writes = rounds.map(({ raw }) => raw.pendingActivities?.find((a) => a.activityType?.name === 'recordTransition'));
      return writes.every((a) => (a?.attempt ?? 0) >= 3 && /disk I\/O error/.test(a?.lastFailure?.message ?? '')) && writes;
    }, 'every decision to be retrying its write', 60_000);
    expect(retrying.map((a) => a?.maximumAttempts ?? 0)).toEqual(refs.map(() => 0));
    expect(await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'ReadyToExport' } })).toBe(refs.length);
    expect(await h.db.historyEntry.count({ where: { erpRecord: { itemRef: { in: refs } }, action: 'accepted' } })).toBe(0);
  } finally {
    restore();
  }

  await Promise.all(decisions);
  await expectEachSyncedOnce(h, refs, 120_000);
});

test('the API answers 503 with a message while it cannot write, and writes nothing', async () => {
  const api = await runApiFor(h);
  try {
    const putVendor = () => api.put('/vendors/V-DISK', { name: 'Disk Full Supply' });
    const restore = refuseWrites(api.child.pid!);
    let refused: Response;
    try {
      refused = await putVendor();
    } finally {
      restore();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({
      error: 'database_unavailable',
      message: expect.stringMatching(/cannot be written.*nothing was changed/i),
    });
    expect(await h.db.vendor.count({ where: { id: 'V-DISK' } })).toBe(0);

    // The same process writes again once the file takes writes.
    const accepted = await putVendor();
    expect(accepted.status).toBe(200);
    expect(await h.db.vendor.findUnique({ where: { id: 'V-DISK' } })).toMatchObject({ name: 'Disk Full Supply' });
  } finally {
    await api.stop();
  }
});
