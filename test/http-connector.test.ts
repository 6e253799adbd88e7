import { createHash } from 'node:crypto';
import { HttpErp, retryAfterMs } from '../connectors/http';
import { ErpRefused } from '../connectors/transport';
import { APPROVER, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { startFakeErp } from './support/fake-erp';
import { startHarness, type Harness } from './support/harness';

const SECRET = 'erp-shared-secret';
let erp: Awaited<ReturnType<typeof startFakeErp>>;
let h: Harness;

beforeAll(async () => {
  erp = await startFakeErp(SECRET);
  h = await startHarness({
    transport: () => new HttpErp(erp.url, SECRET),
    exportPolicy: { initialIntervalMs: 50, maximumIntervalMs: 200, maximumAttempts: 6, startToCloseMs: 5_000 },
  });
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  await h?.stop();
  await erp?.close();
});

test('exports are signed, carry the idempotency key and come back with the ERP id', async () => {
  const synced = await h.desk.view('commitment', 'SC-001');
  const call = erp.calls.find((c) => c.key === 'erp:commitment:SC-001#1');
  expect(call).toMatchObject({
    status: 201,
    payload: { record: 'subcontract', commitment: 'SC-001', vendor: 'SRC100', amount: '200000.00' },
  });
  expect(synced.erp.erpId).toBe(erp.booked.get('erp:commitment:SC-001#1'));
});

test('an outage (503, then 429 with Retry-After) is waited out and the item is exported once', async () => {
  await h.intake.upsertChangeOrder('CO-O1', changeOrderBody({ number: 'O1' }));
  await h.desk.send('cco', 'CO-O1', PM);
  erp.queue(
    { status: 503, body: { message: 'maintenance' } },
    { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '1' } },
  );
  await h.desk.accept('cco', 'CO-O1', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-O1', 'Synced');

  const calls = erp.calls.filter((c) => c.key === 'erp:cco:CO-O1#1');
  expect(calls.map((c) => c.status)).toEqual([503, 429, 201]);
  // Backoff alone would retry within 200 ms; the ERP asked for a second.
  expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(900);
  expect([...erp.booked.keys()].filter((k) => k.startsWith('erp:cco:CO-O1'))).toHaveLength(1);
});

test('an answer lost after the ERP booked the export: the retry gets 409 and the same id', async () => {
  await h.intake.upsertChangeOrder('CO-O2', changeOrderBody({ number: 'O2' }));
  await h.desk.send('cco', 'CO-O2', PM);
  erp.booked.set('erp:cco:CO-O2#1', 'ERP-BOOKED-EARLIER');
  await h.desk.accept('cco', 'CO-O2', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-O2', 'Synced');
  expect(synced.erp.erpId).toBe('ERP-BOOKED-EARLIER');
  expect(erp.calls.filter((c) => c.key === 'erp:cco:CO-O2#1').map((c) => c.status)).toEqual([409]);
});

test('a 422 refusal ends in Failed to Export with the ERP message; retry after the fix syncs it', async () => {
  await h.intake.upsertChangeOrder('CO-O3', changeOrderBody({ number: 'O3' }));
  erp.refuse('CO-O3', 'Vendor SRC100 is on hold');
  await h.desk.send('cco', 'CO-O3', PM);
  await h.desk.accept('cco', 'CO-O3', { by: APPROVER });
  const failed = await untilStatus(h, 'cco', 'CO-O3', 'FailedToExport');
  expect(failed.erp.exportError).toBe('Vendor SRC100 is on hold');
  expect(erp.calls.filter((c) => c.key === 'erp:cco:CO-O3#1')).toHaveLength(1);

  erp.allow('CO-O3');
  await h.desk.retryExport('cco', 'CO-O3', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-O3', 'Synced');
});

test('a wrong shared secret is a refusal the operator can see, not an endless retry', async () => {
  const wrong = new HttpErp(erp.url, 'not-the-secret');
  await expect(wrong.export({ idempotencyKey: 'k-1', itemType: 'cco', itemRef: 'X', body: '{"ref":"X"}' })).rejects.toBeInstanceOf(
    ErpRefused,
  );
  await expect(
    new HttpErp('http://127.0.0.1:1', SECRET, 500).export({ idempotencyKey: 'k-2', itemType: 'cco', itemRef: 'X', body: '{}' }),
  ).rejects.toMatchObject({
    name: 'ErpUnavailable',
  });
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(retryAfterMs('3')).toBe(3000);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  expect(retryAfterMs('soon')).toBeUndefined();
  expect(retryAfterMs(null)).toBeUndefined();
});

test('the ERP receives the reviewed snapshot byte for byte: the body is its canonical JSON and hashes to its hash', async () => {
  await h.intake.upsertChangeOrder('CO-H1', changeOrderBody({ number: 'H1' }));
  const sent = await h.desk.send('cco', 'CO-H1', PM);
  await h.desk.accept('cco', 'CO-H1', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-H1', 'Synced');
  const call = erp.calls.find((c) => c.method === 'POST' && c.key === 'erp:cco:CO-H1#1')!;
  expect(JSON.parse(call.raw)).toEqual(sent.erp.reviewed?.payload);
  expect(createHash('sha256').update(call.raw).digest('hex')).toBe(sent.erp.reviewed?.hash);
});

test('answers lost until the attempts ran out, then reject, re-send and accept: the look-up finds the booking, one record', async () => {
  await h.intake.upsertChangeOrder('CO-H2', changeOrderBody({ number: 'H2' }));
  await h.desk.send('cco', 'CO-H2', PM);
  erp.loseAnswers(6);
  await h.desk.accept('cco', 'CO-H2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-H2', 'FailedToExport');
  expect(erp.booked.get('erp:cco:CO-H2#1')).toBeDefined();

  await h.desk.reject('cco', 'CO-H2', { by: APPROVER, reason: 'The ERP was down; try again' });
  await h.desk.resend('cco', 'CO-H2', PM);
  await h.desk.accept('cco', 'CO-H2', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-H2', 'Synced');

  expect(synced.erp.erpId).toBe(erp.booked.get('erp:cco:CO-H2#1'));
  expect([...erp.booked.keys()].filter((k) => k.startsWith('erp:cco:CO-H2'))).toEqual(['erp:cco:CO-H2#1']);
  const lookups = erp.calls.filter((c) => c.method === 'GET' && c.key === 'erp:cco:CO-H2#1');
  expect(lookups.map((c) => c.status)).toEqual([200]);
  expect(erp.calls.filter((c) => c.method === 'POST' && c.key === 'erp:cco:CO-H2#2')).toEqual([]);
});

test('a look-up the ERP cannot answer is asked again, never taken as "not booked"', async () => {
  const transport = new HttpErp(erp.url, SECRET, 500);
  erp.booked.set('k-known', 'ERP-KNOWN');
  expect(await transport.lookup('k-known')).toEqual({ erpId: 'ERP-KNOWN' });
  expect(await transport.lookup('k-unknown#1')).toBeNull();
  await expect(new HttpErp(erp.url, 'not-the-secret').lookup('k-known')).rejects.toMatchObject({ name: 'ErpUnavailable' });
  await expect(new HttpErp('http://127.0.0.1:1', SECRET, 500).lookup('k-known')).rejects.toMatchObject({ name: 'ErpUnavailable' });
});
