import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApi } from '../api/app';
import { APPROVER, ENGINEER, PM, seedCompany } from './support/fixtures';
import { untilStatus } from './support/flows';
import { startHarness, type Harness } from './support/harness';

const TOKEN = 'test-token-0123456789abcdef';
let h: Harness;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  const app = createApi({
    db: h.db,
    desk: h.desk,
    intake: h.intake,
    apiToken: TOKEN,
    health: [
      { name: 'database', check: async () => void (await h.db.$queryRawUnsafe('SELECT 1')) },
      { name: 'temporal', check: async () => void (await h.client.connection.workflowService.getSystemInfo({})) },
    ],
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.stop();
});

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

test('health reports the process, the database and Temporal', async () => {
  const { status, body } = await call('GET', '/healthz', undefined, null);
  expect(status).toBe(200);
  expect(body).toEqual({ status: 'ok', checks: { process: 'ok', database: 'ok', temporal: 'ok' }, slack: 'not configured' });
});

test('a missing or wrong bearer token is refused and nothing is written', async () => {
  expect((await call('PUT', '/api/v1/vendors/V-1', { name: 'Acme' }, null)).status).toBe(401);
  const wrong = await call('PUT', '/api/v1/vendors/V-1', { name: 'Acme' }, 'not-the-token');
  expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  expect(await h.db.vendor.count({ where: { id: 'V-1' } })).toBe(0);
});

test('the OpenAPI document describes every route from the zod schemas', async () => {
  const { status, body } = await call('GET', '/api/v1/openapi.json', undefined, null);
  expect(status).toBe(200);
  expect(Object.keys(body.paths)).toEqual(
    expect.arrayContaining([
      '/api/v1/users/{userId}',
      '/api/v1/change-orders/{ref}',
      '/api/v1/items/{type}/{ref}/{action}',
      '/api/v1/items',
    ]),
  );
  expect(body.components.schemas.CommitmentBody.required).toEqual(
    expect.arrayContaining(['project', 'kind', 'number', 'title', 'status', 'createdBy']),
  );
  expect(body.components.schemas.ActionBody.properties.by.description).toBe('The user on whose behalf the action is taken');
  // Intake writes may be told to come back later; actions wait for their round instead.
  const upsert = body.paths['/api/v1/vendors/{vendorId}'].put.responses;
  expect(Object.keys(upsert)).toEqual(expect.arrayContaining(['413', '503']));
  expect(upsert['503'].headers['Retry-After']).toBeDefined();
  expect(Object.keys(body.paths['/api/v1/items/{type}/{ref}/{action}'].post.responses)).not.toContain('503');
});

test('a bad body is a 400 listing each field, and nothing is half-written', async () => {
  await seedCompany(h.intake);
  const bad = await call('PUT', '/api/v1/commitments/SC-9', {
    project: 'P-100',
    kind: 'lease',
    title: '',
    status: 'Approved',
    createdBy: PM,
    sovLines: [{ lineNo: 1, amount: '12.345' }],
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe('invalid_request');
  expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(
    expect.arrayContaining(['kind', 'number', 'title', 'sovLines.0.amount']),
  );
  expect(await h.db.commitment.count({ where: { ref: 'SC-9' } })).toBe(0);

  const notJson = await call('PUT', '/api/v1/vendors/V-2', '{"name": ');
  expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid_json' } });

  const unknownProject = await call('PUT', '/api/v1/commitments/SC-9', {
    project: 'P-404',
    kind: 'subcontract',
    number: 'SC-9',
    title: 'Roofing',
    status: 'Approved',
    createdBy: PM,
  });
  expect(unknownProject).toMatchObject({ status: 422, body: { error: 'unknown_reference', field: 'project' } });
  expect(await h.db.erpRecord.count({ where: { itemRef: 'SC-9' } })).toBe(0);
});

test('items go through the API: send, accept, lists, history; refusals carry the same words as everywhere', async () => {
  await seedCompany(h.intake);
  const unknown = await call('GET', '/api/v1/items/project/P-10');
  expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown_item', suggestions: ['P-100'] } });
  expect((await call('GET', '/api/v1/items/invoice/P-100')).status).toBe(400);
  expect((await call('POST', '/api/v1/items/project/P-100/approve', { by: PM })).status).toBe(400);

  const denied = await call('POST', '/api/v1/items/project/P-100/send', { by: ENGINEER });
  expect(denied).toMatchObject({
    status: 403,
    body: { error: 'permission_denied', message: "Eli Field cannot send project P-100: missing 'Admin' on project P-100's Admin tool." },
  });

  const sent = await call('POST', '/api/v1/items/project/P-100/send', { by: PM });
  expect(sent).toMatchObject({
    status: 200,
    body: { erp: { status: 'ReadyToExport', locked: true, lockedFields: ['name', 'number', 'createdAt'] } },
  });

  const ready = await call('GET', '/api/v1/items?status=ReadyToExport&type=project');
  expect(ready.body).toMatchObject({ total: 1, items: [{ ref: 'P-100', title: 'Riverside Clinic', status: 'ReadyToExport' }] });

  const locked = await call('PUT', '/api/v1/projects/P-100', { name: 'Riverside Medical Clinic', number: 'RC-24', createdBy: PM });
  expect(locked).toMatchObject({ status: 423, body: { error: 'item_locked', fields: ['name'] } });

  const noReason = await call('POST', '/api/v1/items/project/P-100/reject', { by: APPROVER });
  expect(noReason).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

  expect((await call('POST', '/api/v1/items/project/P-100/accept', { by: APPROVER })).status).toBe(200);
  await untilStatus(h, 'project', 'P-100', 'Synced');
  const again = await call('POST', '/api/v1/items/project/P-100/accept', { by: APPROVER });
  expect(again).toMatchObject({ status: 409, body: { error: 'not_awaiting_decision', status: 'Synced', decision: { by: 'Dana Lee' } } });

  const item = await call('GET', '/api/v1/items/project/P-100');
  expect(item.body.history.map((e: { action: string }) => e.action)).toEqual(['sent', 'accepted', 'exported']);
  expect(item.body.erp.erpId).toMatch(/^SBX-/);
});

test('a change order below the Sage 300 CRE minimum is a 422 listing every failing field', async () => {
  await seedCompany(h.intake);
  await untilStatus(h, 'project', 'P-100', 'Synced');
  await call('PUT', '/api/v1/commitments/SC-1', {
    project: 'P-100',
    kind: 'subcontract',
    number: 'SC-1',
    title: 'Framing',
    status: 'Approved',
    vendorId: 'V-CONCRETE',
    createdBy: PM,
    sovLines: [{ lineNo: 1, costCode: '03-300', category: 'L', amount: 5000 }],
  });
  await call('POST', '/api/v1/items/commitment/SC-1/send', { by: PM });
  await call('POST', '/api/v1/items/commitment/SC-1/accept', { by: APPROVER });
  await untilStatus(h, 'commitment', 'SC-1', 'Synced');

  const put = await call('PUT', '/api/v1/change-orders/CO-9', {
    commitment: 'SC-1',
    number: 'CO-0009',
    title: 'x'.repeat(31),
    status: 'Draft',
    createdBy: PM,
    lines: [{ lineNo: 1, sovLineNo: 1, amount: 10 }],
  });
  expect(put.status).toBe(200);
  const refused = await call('POST', '/api/v1/items/cco/CO-9/send', { by: PM });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toBe('requirements_not_met');
  expect(refused.body.violations.map((v: { field: string }) => v.field)).toEqual(['number', 'title', 'status']);
  expect((await call('GET', '/api/v1/items/cco/CO-9')).body.erp.status).toBe('NotSent');

  const badLine = await call('PUT', '/api/v1/change-orders/CO-10', {
    commitment: 'SC-1',
    number: '10',
    title: 'Extra',
    status: 'Approved',
    createdBy: PM,
    lines: [{ lineNo: 1, sovLineNo: 7, amount: 10 }],
  });
  expect(badLine).toMatchObject({ status: 422, body: { field: 'lines.0.sovLineNo' } });
});

test('an item shows its reviewed snapshot, what can be done now and why not, for one person with ?as=; void and separation of duties', async () => {
  const body = {
    commitment: 'SC-1',
    number: '11',
    title: 'Extra blocking',
    status: 'Approved',
    createdBy: PM,
    url: 'https://pm.example.com/co/11',
    lines: [{ lineNo: 1, sovLineNo: 1, amount: '250.00' }],
  };
  expect((await call('PUT', '/api/v1/change-orders/CO-11', { ...body, url: 'javascript:alert(1)' })).status).toBe(400);
  const before = await call('PUT', '/api/v1/change-orders/CO-11', body);
  expect(before.body).toMatchObject({ url: 'https://pm.example.com/co/11', erp: { reviewed: null, availableActions: ['send'] } });
  const asEngineer = await call('GET', `/api/v1/items/cco/CO-11?as=${ENGINEER}`);
  expect(asEngineer.body.erp.availableActions).toEqual([]);
  expect(asEngineer.body.erp.unavailable).toContainEqual({
    action: 'send',
    reasons: ["Eli Field is missing 'Admin' on project P-100's Commitments tool and 'Admin' on project P-100's Change Orders tool."],
  });
  expect((await call('GET', '/api/v1/items/cco/CO-11?as=nobody')).status).toBe(422);

  const sent = await call('POST', '/api/v1/items/cco/CO-11/send', { by: PM });
  expect(sent.body.erp.reviewed).toEqual({
    hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    payload: expect.objectContaining({ record: 'commitment_change_order', ref: 'CO-11', amount: '250.00' }),
    at: expect.any(String),
    by: { id: PM, name: 'Pat Morgan' },
    round: 1,
  });
  const locked = await call('PUT', '/api/v1/change-orders/CO-11', {
    ...body,
    lines: [
      { lineNo: 1, sovLineNo: 1, amount: '250.00' },
      { lineNo: 2, sovLineNo: 1, amount: '0' },
    ],
  });
  expect(locked).toMatchObject({ status: 423, body: { error: 'item_locked', fields: ['lines'] } });

  const rejected = await call('POST', '/api/v1/items/cco/CO-11/reject', { by: APPROVER, reason: 'Not needed' });
  expect(rejected.body.erp.availableActions).toEqual(['resend', 'void']);
  const voided = await call('POST', '/api/v1/items/cco/CO-11/void', { by: PM, reason: 'Duplicate' });
  expect(voided).toMatchObject({ status: 200, body: { erp: { status: 'Voided', statusLabel: 'Voided', availableActions: [] } } });
  expect((await call('POST', '/api/v1/items/cco/CO-11/resend', { by: PM })).status).toBe(409);
  expect((await call('GET', '/api/v1/items?status=Voided')).body.items.map((i: { ref: string }) => i.ref)).toEqual(['CO-11']);

  // The sender of a round may not decide it: 403 with the reason.
  await call('PUT', '/api/v1/users/u-both', {
    name: 'Casey Both',
    email: 'casey@example.com',
    canPushToAccounting: true,
    permissions: [
      { tool: 'Commitments', level: 'Admin', project: 'P-100' },
      { tool: 'ChangeOrders', level: 'Admin', project: 'P-100' },
      { tool: 'ErpIntegrations', level: 'Admin' },
    ],
  });
  await call('PUT', '/api/v1/change-orders/CO-12', { ...body, number: '12' });
  await call('POST', '/api/v1/items/cco/CO-12/send', { by: 'u-both' });
  const self = await call('POST', '/api/v1/items/cco/CO-12/accept', { by: 'u-both' });
  expect(self).toMatchObject({
    status: 403,
    body: { error: 'separation_of_duties', message: expect.stringContaining('separation of duties') },
  });
});

test('identifiers refuse control and invisible characters; free text limits are checked as given', async () => {
  const user = { name: 'Zed', email: 'zed@example.com' };
  for (const ref of ['P%00X', 'P%1B%5B31m', 'P%E2%80%8BX', 'P%E2%80%AEX', 'P%EF%BB%BFX', '%20P-1']) {
    const answer = await call('PUT', `/api/v1/users/${ref}`, user);
    expect({ ref, status: answer.status, error: answer.body.error }).toEqual({ ref, status: 400, error: 'invalid_request' });
  }
  const project = { name: 'x', number: 'N-1', createdBy: PM, createdAt: '2026-01-01T00:00:00Z' };
  expect((await call('PUT', '/api/v1/projects/P-TEXT', { ...project, name: `  ${'x'.repeat(199)}` })).status).toBe(400);
  expect((await call('PUT', '/api/v1/projects/P-TEXT', { ...project, name: '   ' })).status).toBe(400);
  const stored = await call('PUT', '/api/v1/projects/P-TEXT', { ...project, name: '  Clinic  ' });
  expect(stored).toMatchObject({ status: 200, body: { title: 'Clinic' } });
});

test("a user's email or Slack id already taken by someone else is a 409 naming the field", async () => {
  await seedCompany(h.intake);
  const taken = await call('PUT', '/api/v1/users/u-copy', { name: 'Copy', email: 'pat@example.com' });
  expect(taken).toMatchObject({ status: 409, body: { error: 'already_taken', field: 'email' } });
  // The same address in another case is the same address.
  const lookalike = await call('PUT', '/api/v1/users/u-copy', { name: 'Copy', email: 'PAT@Example.COM' });
  expect(lookalike).toMatchObject({ status: 409, body: { error: 'already_taken', field: 'email' } });
  await call('PUT', '/api/v1/users/u-slack', { name: 'Slack One', email: 'one@example.com', slackId: 'U0SLACK1' });
  const slack = await call('PUT', '/api/v1/users/u-slack-2', { name: 'Slack Two', email: 'two@example.com', slackId: 'U0SLACK1' });
  expect(slack).toMatchObject({ status: 409, body: { error: 'already_taken', field: 'slackId' } });
  expect(await h.db.user.count({ where: { id: { in: ['u-copy', 'u-slack-2'] } } })).toBe(0);
  // The same person updating their own row is no clash.
  expect((await call('PUT', '/api/v1/users/u-slack', { name: 'Slack One', email: 'one@example.com', slackId: 'U0SLACK1' })).status).toBe(
    200,
  );
});

test('a method a route does not take is a 405 with Allow', async () => {
  const deleted = await fetch(`${base}/api/v1/users/u-1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(deleted.status).toBe(405);
  expect(deleted.headers.get('allow')).toBe('PUT');
  expect(await deleted.json()).toMatchObject({ error: 'method_not_allowed' });
  const posted = await fetch(`${base}/healthz`, { method: 'POST' });
  expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET']);
  expect((await fetch(`${base}/api/v1/nowhere`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
});

test('concurrent sends of one item: one round opens, every other send is refused as already in review', async () => {
  await seedCompany(h.intake, 'P-RACE');
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => h.desk.send('project', 'P-RACE', PM)));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const lost of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
    expect(lost.reason).toMatchObject({ code: 'already_in_review', message: expect.stringContaining('already in review') });
  }
  expect((await h.desk.view('project', 'P-RACE')).history.map((e) => e.action)).toEqual(['sent']);
});

test('health says a word per part and keeps the error itself for the log', async () => {
  const app = createApi({
    db: h.db,
    desk: h.desk,
    intake: h.intake,
    apiToken: TOKEN,
    health: [
      {
        name: 'database',
        check: async () => {
          throw new Error('connect ECONNREFUSED /var/run/secret.sock 10.1.2.3:5432');
        },
      },
    ],
  });
  const down = app.listen(0);
  await new Promise((resolve) => down.once('listening', resolve));
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const response = await fetch(`http://127.0.0.1:${(down.address() as AddressInfo).port}/healthz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded', checks: { process: 'ok', database: 'down' }, slack: 'not configured' });
    expect(text).not.toContain('ECONNREFUSED');
    expect(errors).toHaveBeenCalled();
  } finally {
    errors.mockRestore();
    await new Promise((resolve) => down.close(resolve));
  }
});

test('text PostgreSQL cannot hold (NUL, unpaired surrogates) is a 400 naming the field, in bodies, reasons and refs', async () => {
  await seedCompany(h.intake, 'P-NUL');
  const nul = await call('PUT', '/api/v1/vendors/V-NUL', '{"name":"Acme\\u0000Concrete"}');
  expect(nul).toMatchObject({
    status: 400,
    body: { error: 'invalid_request', fields: [{ field: 'name', message: expect.stringContaining('NUL') }] },
  });
  const surrogate = await call('PUT', '/api/v1/cost-codes/01-999', '{"description":"Half \\ud800 a pair","categories":["labor"]}');
  expect(surrogate).toMatchObject({ status: 400, body: { fields: [{ field: 'description' }] } });
  // A whole pair is text like any other.
  expect((await call('PUT', '/api/v1/cost-codes/01-998', '{"description":"Crane \\ud83c\\udfd7","categories":["labor"]}')).status).toBe(
    200,
  );
  expect(await h.db.vendor.count({ where: { id: 'V-NUL' } })).toBe(0);

  expect((await call('POST', '/api/v1/items/project/P-NUL/send', { by: PM })).status).toBe(200);
  const reason = await call('POST', '/api/v1/items/project/P-NUL/reject', { by: APPROVER, reason: 'Fix\u0000it' });
  expect(reason).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  await expect(h.desk.reject('project', 'P-NUL', { by: APPROVER, reason: 'Fix \ud800 it' })).rejects.toMatchObject({
    code: 'invalid_request',
  });
  await expect(h.desk.view('project', 'P\u0000NUL')).rejects.toMatchObject({ code: 'unknown_item' });
  expect((await h.desk.view('project', 'P-NUL')).erp.status).toBe('ReadyToExport');
});

test('a decision or a user body with a field the API does not know is refused, and nothing is decided; the scheme name is case-insensitive', async () => {
  await seedCompany(h.intake);
  const before = await h.desk.view('project', 'P-100');
  const flagged = await call('POST', '/api/v1/items/project/P-100/accept', { by: APPROVER, dryRun: true });
  expect(flagged).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(flagged.body.message).toContain('dryRun');
  expect((await h.desk.view('project', 'P-100')).history).toEqual(before.history);
  const misspelt = await call('PUT', '/api/v1/users/u-typo', { name: 'Typo', email: 'typo@example.com', canPushToAcounting: true });
  expect(misspelt.status).toBe(400);
  expect(misspelt.body.message).toContain('canPushToAcounting');

  const lower = await fetch(`${base}/api/v1/items/project/P-100`, { headers: { authorization: `bearer ${TOKEN}` } });
  expect(lower.status).toBe(200);
  expect((await fetch(`${base}/api/v1/items/project/P-100`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
});
