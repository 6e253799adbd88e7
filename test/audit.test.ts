/**
 * The audit export: every move of every item in a period, as JSON or CSV, read by the API token or on
 * an auditor's behalf, streamed page by page from one snapshot of the database.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApi } from '../api/app';
import { APPROVER, APPROVER_2, ENGINEER, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { startHarness, type Harness } from './support/harness';
import { forEachAuditPage } from '../store/audit';
import type { AuditRow } from '../domain/audit';
import { PassThrough, Writable } from 'node:stream';
import { ExportSlots, ReaderGone, writer } from '../services/audit';

const TOKEN = 'test-token-audit-0123456789';
let h: Harness;
let server: Server;
let base: string;
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
  // A change order rejected with a reason a spreadsheet would run as a formula, re-sent, accepted with a note.
  await h.intake.upsertChangeOrder('CO-A1', changeOrderBody({ number: 'A1' }));
  await h.desk.send('cco', 'CO-A1', PM);
  await h.desk.reject('cco', 'CO-A1', { by: APPROVER, reason: '=HYPERLINK("http://evil.example","Fix the cost code")' });
  await h.desk.resend('cco', 'CO-A1', PM);
  await h.desk.accept('cco', 'CO-A1', { by: APPROVER_2, description: '@SUM(1,2), "quoted", and a\nsecond line' });
  await untilStatus(h, 'cco', 'CO-A1', 'Synced');
  server = createApi({ db: h.db, desk: h.desk, intake: h.intake, apiToken: TOKEN, health: [] }).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.stop();
});

const audit = (query: string) => fetch(`${base}/api/v1/audit?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });

test('the JSON export holds every move with its item, round, who, when, what, why and the reviewed snapshot', async () => {
  const response = await audit(`from=${today()}&to=${today()}&format=json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="erp-audit-${today()}-to-${today()}.json"`);
  const body = (await response.json()) as { count: number; timeZone: string; entries: Record<string, any>[] };
  expect(body.timeZone).toBe('UTC');
  expect(body.count).toBe(body.entries.length);
  // The project's and the commitment's rounds, then the change order's two.
  expect(body.entries.map((e) => `${e.item.ref}:${e.round}:${e.transition}`)).toEqual([
    'P-100:1:send',
    'P-100:1:accept',
    'P-100:1:exported',
    'SC-001:1:send',
    'SC-001:1:accept',
    'SC-001:1:exported',
    'CO-A1:1:send',
    'CO-A1:1:reject',
    'CO-A1:2:resend',
    'CO-A1:2:accept',
    'CO-A1:2:exported',
  ]);
  const ids = body.entries.map((e) => e.id as number);
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);

  const view = await h.desk.view('cco', 'CO-A1');
  const co = body.entries.filter((e) => e.item.ref === 'CO-A1');
  expect(co[1]).toMatchObject({
    item: { type: 'cco', ref: 'CO-A1', project: 'P-100' },
    action: 'rejected',
    by: { id: APPROVER, name: 'Dana Lee' },
    onBehalfOf: null,
    from: 'ReadyToExport',
    to: 'Rejected',
    reason: '=HYPERLINK("http://evil.example","Fix the cost code")',
  });
  // The accept names the snapshot the export sent, which is the one the item view shows as reviewed.
  expect(co[3]).toMatchObject({ by: { id: APPROVER_2 }, snapshotHash: view.erp.reviewed!.hash });
  expect(co[4]!.snapshotHash).toBe(view.erp.reviewed!.hash);
  // Each entry is the item view's history entry, with its place in the company's day.
  const history = view.history.map(({ at, action, reason, message, snapshotHash }) => ({ at, action, reason, message, snapshotHash }));
  expect(co.map(({ at, action, reason, message, snapshotHash }) => ({ at, action, reason, message, snapshotHash }))).toEqual(history);
  expect(co[0]!.localTime).toBe(co[0]!.at.slice(0, 19).replace('T', ' '));
});

test('the CSV opens cleanly in a spreadsheet: UTF-8 with a byte order mark, quoted where needed, no cell run as a formula', async () => {
  const response = await audit(`from=${today()}&to=${today()}&format=csv`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  const [heading, ...rest] = text.split('\r\n');
  expect(heading).toBe(
    'Entry,At (UTC),Local time (UTC),Item type,Item ref,Project,Round,Action,Action code,From status,To status,By (user id),By,On behalf of (user id),On behalf of,Self-approved,Route step (1 = first),Reason,Message,Snapshot hash',
  );
  expect(rest.at(-1)).toBe('');
  // The reason starts with "=", the note with "@": both are text with an apostrophe in front, quoted (they hold quotes and commas).
  expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"",""Fix the cost code"")",`);
  expect(text).toContain(`"'@SUM(1,2), ""quoted"", and a\nsecond line"`);
  const reject = rest.find((line) => line.includes(',CO-A1,') && line.includes(',reject,'))!;
  expect(reject).toMatch(
    /^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,\d{4}-\d\d-\d\d [\d:]+,cco,CO-A1,P-100,1,rejected,reject,ReadyToExport,Rejected,u-approver,Dana Lee,,,,1,"'=HYPERLINK/,
  );
});

test('the period is whole local days: a day with no moves is an empty export, and a bad period is refused naming the field', async () => {
  const empty = await audit('from=2020-01-01&to=2020-12-31&format=csv');
  expect(empty.status).toBe(200);
  const lines = (await empty.text()).split('\r\n');
  expect(lines).toHaveLength(2);
  const emptyJson = (await (await audit('from=2020-01-01&to=2020-01-01')).json()) as Record<string, unknown>;
  expect(emptyJson).toEqual({ from: '2020-01-01', to: '2020-01-01', timeZone: 'UTC', entries: [], count: 0 });

  // A period that ends before it starts is well formed but cannot be read: 422, naming the field.
  const backwards = await audit(`from=${today()}&to=2020-01-01`);
  expect(backwards.status).toBe(422);
  expect(await backwards.json()).toMatchObject({
    error: 'invalid_period',
    field: 'to',
    message: 'to: must be the same day as from or later.',
  });
  expect((await audit('from=0079-06-11&to=2026-01-01')).status).toBe(422);

  for (const [query, field] of [
    ['from=2026-02-30&to=2026-03-01', 'from'],
    [`to=${today()}`, 'from'],
    [`from=${today()}&to=${today()}&format=xlsx`, 'format'],
  ] as const) {
    const refused = await audit(query);
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as { error: string; fields: { field: string }[] };
    expect(problem.fields.map((f) => f.field)).toContain(field);
  }
});

test('an auditor may read it on their own behalf; someone without ERP Integrations access is told what is missing', async () => {
  expect((await audit(`from=${today()}&to=${today()}&as=${ENGINEER}`)).status).toBe(200);
  expect((await audit(`from=${today()}&to=${today()}&as=${APPROVER}`)).status).toBe(200);
  const refused = await audit(`from=${today()}&to=${today()}&as=${PM}`);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({
    error: 'permission_denied',
    message: "Pat Morgan cannot read the audit export: missing 'ReadOnly', 'Standard' or 'Admin' on the company's ERP Integrations tool.",
  });
  expect((await audit(`from=${today()}&to=${today()}&as=u-nobody`)).status).toBe(422);
  const anonymous = await fetch(`${base}/api/v1/audit?from=${today()}&to=${today()}`);
  expect(anonymous.status).toBe(401);
});

test('pages follow one another without a gap or a repeat, whatever their size', async () => {
  const range = { start: new Date(Date.now() - 86_400_000), end: new Date(Date.now() + 86_400_000) };
  const read = async (pageSize: number) => {
    const pages: AuditRow[][] = [];
    const count = await forEachAuditPage(h.db, range, async (rows) => void pages.push(rows), pageSize);
    return { count, pages };
  };
  const whole = await read(1000);
  expect(whole.pages).toHaveLength(1);
  for (const size of [1, 2, 3, 11]) {
    const paged = await read(size);
    expect(paged.count).toBe(whole.count);
    expect(paged.pages.every((page) => page.length <= size)).toBe(true);
    expect(paged.pages.flat().map((row) => row.id)).toEqual(whole.pages[0]!.map((row) => row.id));
  }
});

test("a parameter spelt otherwise is refused rather than ignored; the item view's history names each move's round too", async () => {
  const refused = await audit(`from=${today()}&to=${today()}&FORMAT=csv`);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { message: string }).message).toContain('FORMAT');
  const view = await h.desk.view('cco', 'CO-A1');
  expect(view.history.map((entry) => entry.round)).toEqual([1, 1, 2, 2, 2]);
});

test('a reader that stops reading lets the export go after a while, and only so many exports run at once', async () => {
  // A stream that takes nothing: the second piece waits for room that never comes.
  const out = new Writable({ highWaterMark: 4, write: () => undefined });
  const write = writer(out, 50);
  await write('x');
  await expect(write('yyyy')).rejects.toBeInstanceOf(ReaderGone);
  const gone = new PassThrough();
  gone.destroy();
  await expect(writer(gone)('x')).rejects.toBeInstanceOf(ReaderGone);

  const slots = new ExportSlots(2);
  const first = slots.take()!;
  const second = slots.take()!;
  expect(slots.take()).toBeNull();
  first();
  first();
  const third = slots.take();
  expect(third).not.toBeNull();
  expect(slots.take()).toBeNull();
  second();
  third!();
});
