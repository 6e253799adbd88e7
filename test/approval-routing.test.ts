/**
 * Approval routing end to end: policies pushed through the API, a change order's round walking its
 * steps in the workflow, refusals out of turn, and a route frozen when the round opens.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApi } from '../api/app';
import { UserBody } from '../domain/intake';
import { APPROVER, APPROVER_2, BOTH, PM, addSenderApprover, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { startHarness, type Harness } from './support/harness';

const TOKEN = 'test-token-routing-0123456789';
const CONTROLLER = 'u-controller';
const CFO = 'u-cfo';
let h: Harness;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
  for (const [id, name, email] of [
    [CONTROLLER, 'Cole Grant', 'cole@example.com'],
    [CFO, 'Fay Chen', 'fay@example.com'],
  ] as const) {
    await h.intake.upsertUser(
      id,
      UserBody.parse({ name, email, canPushToAccounting: true, permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }] }),
    );
  }
  server = createApi({ db: h.db, desk: h.desk, intake: h.intake, apiToken: TOKEN, health: [] }).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Which of `refs` are in the list of what waits for `userId`. */
async function waitingRefs(userId: string, refs: readonly string[]): Promise<string[]> {
  return (await call('GET', `/api/v1/items?waitingFor=${userId}&limit=500`)).body.items
    .map((item: { ref: string }) => item.ref)
    .filter((ref: string) => refs.includes(ref))
    .sort();
}

/** Change orders of $10,000 or more: one of two approvers, then the controller and the CFO both. */
const LARGE = {
  name: 'Large change orders',
  appliesTo: { types: ['cco'], minAmount: '10000.00' },
  steps: [
    { name: 'Accounting', approvers: [APPROVER, APPROVER_2], quorum: 'any' },
    { name: 'Controller and CFO', approvers: [CONTROLLER, CFO], quorum: 'all' },
  ],
};

test('policies are validated, stored, listed most specific first, and removed', async () => {
  const unknown = await call('PUT', '/api/v1/approval-policies/bad', { ...LARGE, steps: [{ name: 'X', approvers: ['u-nobody'] }] });
  expect(unknown.status).toBe(422);
  expect(unknown.body).toMatchObject({ error: 'unknown_reference', field: 'steps.0.approvers' });
  const notApprover = await call('PUT', '/api/v1/approval-policies/bad', { ...LARGE, steps: [{ name: 'X', approvers: [PM] }] });
  expect(notApprover.status).toBe(422);
  expect(notApprover.body.error).toBe('not_an_approver');
  expect(notApprover.body.message).toContain("Pat Morgan cannot approve: missing the 'Can Push to Accounting' privilege");
  const invalid = await call('PUT', '/api/v1/approval-policies/bad', {
    name: 'X',
    steps: [{ name: 'X', approvers: [APPROVER], quorum: 'most' }],
  });
  expect(invalid.status).toBe(400);
  expect(invalid.body.fields[0].field).toBe('steps.0.quorum');
  const twice = await call('PUT', '/api/v1/approval-policies/bad', { name: 'X', steps: [{ name: 'X', approvers: [APPROVER, APPROVER] }] });
  expect(twice.status).toBe(422);
  expect(twice.body).toMatchObject({ error: 'invalid_item', field: 'steps.0.approvers' });
  expect((await call('GET', '/api/v1/approval-policies/bad')).status).toBe(404);

  const stored = await call('PUT', '/api/v1/approval-policies/large', LARGE);
  expect(stored.status).toBe(200);
  expect(stored.body).toMatchObject({
    id: 'large',
    appliesTo: { types: ['cco'], minAmount: '10000.00' },
    appliesToWords: 'commitment change orders in every project of $10,000.00 or more',
    steps: [
      { name: 'Accounting', quorum: 'any' },
      { name: 'Controller and CFO', approvers: [CONTROLLER, CFO], quorum: 'all' },
    ],
  });
  // A project's channel is a Slack channel id, not its name, and in Slack's case.
  for (const slackChannel of ['#project-100', 'c0123abcd', 'U0123ABCD', 'C0123ABCD\u200b']) {
    const answer = await call('PUT', '/api/v1/approval-policies/p100', {
      name: 'P-100',
      steps: [{ name: 'A', approvers: [APPROVER] }],
      slackChannel,
    });
    expect([answer.status, answer.body.fields?.[0]?.field]).toEqual([400, 'slackChannel']);
  }
  const temporary = await call('PUT', '/api/v1/approval-policies/p100', {
    name: 'P-100',
    appliesTo: { projects: ['P-100'] },
    steps: [{ name: 'A', approvers: [APPROVER] }],
    slackChannel: 'C0123ABCD',
  });
  expect(temporary.status).toBe(200);
  expect(temporary.body.slackChannel).toBe('C0123ABCD');
  expect((await call('GET', '/api/v1/approval-policies/p100')).body.slackChannel).toBe('C0123ABCD');
  expect(stored.body).not.toHaveProperty('slackChannel');
  const list = await call('GET', '/api/v1/approval-policies');
  expect(list.body.policies.map((p: { id: string; precedence: number }) => [p.id, p.precedence])).toEqual([
    ['p100', 1],
    ['large', 2],
  ]);
  expect(await call('DELETE', '/api/v1/approval-policies/p100')).toEqual({ status: 200, body: { id: 'p100', deleted: true } });
  expect((await call('DELETE', '/api/v1/approval-policies/p100')).status).toBe(404);
  expect((await call('GET', '/api/v1/approval-policies/large')).body.name).toBe('Large change orders');
});

test('a large change order walks its steps in order; out of turn is refused saying whose turn it is; a small one is unaffected', async () => {
  await call('PUT', '/api/v1/approval-policies/large', LARGE);
  await h.intake.upsertChangeOrder('CO-BIG', changeOrderBody({ number: 'BIG1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 12_500 }] }));
  await h.intake.upsertChangeOrder('CO-SMALL', changeOrderBody({ number: 'SML1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 500 }] }));
  await call('POST', '/api/v1/items/cco/CO-BIG/send', { by: PM });
  await call('POST', '/api/v1/items/cco/CO-SMALL/send', { by: PM });

  // A later change of the policy does not alter the round in flight.
  await call('PUT', '/api/v1/approval-policies/large', { ...LARGE, steps: [{ name: 'Only CFO', approvers: [CFO] }] });

  // Each approver's list holds what waits for them: the route's step, or any approver's.
  const waitingFor = (userId: string) => waitingRefs(userId, ['CO-BIG', 'CO-SMALL']);
  expect(await waitingFor(APPROVER)).toEqual(['CO-BIG', 'CO-SMALL']);
  expect(await waitingFor(CONTROLLER)).toEqual(['CO-SMALL']);
  expect(await waitingFor(PM)).toEqual([]);
  expect((await call('GET', '/api/v1/items?waitingFor=u-nobody')).body).toMatchObject({
    error: 'unknown_user',
    message: 'waitingFor: there is no user "u-nobody".',
  });
  const listed = (await call('GET', '/api/v1/items?status=ReadyToExport&type=cco&limit=500')).body.items;
  expect(listed.find((item: { ref: string }) => item.ref === 'CO-BIG').waitingFor).toEqual([APPROVER, APPROVER_2]);
  expect(listed.find((item: { ref: string }) => item.ref === 'CO-SMALL').waitingFor).toEqual([]);

  let view = (await call('GET', '/api/v1/items/cco/CO-BIG')).body;
  expect(view.approvalPolicy).toEqual({ id: 'large', name: 'Large change orders' });
  expect(view.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
    ['Accounting', 'waiting'],
    ['Controller and CFO', 'pending'],
  ]);

  // The controller before accounting: not yet.
  const early = await call('POST', '/api/v1/items/cco/CO-BIG/accept', { by: CONTROLLER });
  expect(early.status).toBe(409);
  expect(early.body.error).toBe('not_your_turn');
  expect(early.body.message).toContain('is at step 1 of 2 (Accounting), waiting for Dana Lee or Sam Ortiz');
  expect(early.body.turn).toMatchObject({ step: 'Accounting', stepNumber: 1, steps: 2 });

  const first = await call('POST', '/api/v1/items/cco/CO-BIG/accept', { by: APPROVER });
  expect(first.status).toBe(200);
  expect(first.body.erp.status).toBe('ReadyToExport');
  expect(first.body.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'waiting']);

  // Step 1 is done: its other approver cannot decide any more.
  const late = await call('POST', '/api/v1/items/cco/CO-BIG/reject', { by: APPROVER_2, reason: 'Too late' });
  expect(late.status).toBe(409);
  expect(late.body.message).toContain('cannot reject it any more');

  expect(await waitingFor(APPROVER)).toEqual(['CO-SMALL']);
  expect(await waitingFor(CONTROLLER)).toEqual(['CO-BIG', 'CO-SMALL']);
  expect(await waitingFor(CFO)).toEqual(['CO-BIG', 'CO-SMALL']);

  expect((await call('POST', '/api/v1/items/cco/CO-BIG/accept', { by: CONTROLLER })).body.erp.status).toBe('ReadyToExport');
  // Cole Grant has approved his part of an all-quorum step: it waits for Fay Chen alone.
  expect(await waitingFor(CONTROLLER)).toEqual(['CO-SMALL']);
  expect(await waitingFor(CFO)).toEqual(['CO-BIG', 'CO-SMALL']);
  const twice = await call('POST', '/api/v1/items/cco/CO-BIG/accept', { by: CONTROLLER });
  expect(twice.status).toBe(409);
  expect(twice.body.message).toContain('Cole Grant has already approved this step');
  expect((await call('POST', '/api/v1/items/cco/CO-BIG/accept', { by: CFO, description: 'OK by me' })).status).toBe(200);
  await untilStatus(h, 'cco', 'CO-BIG', 'Synced');

  view = (await call('GET', '/api/v1/items/cco/CO-BIG')).body;
  expect(view.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'approved']);
  expect(view.steps[1].decisions.map((d: { by: { id: string } }) => d.by.id)).toEqual([CONTROLLER, CFO]);
  expect(view.history.map((e: { transition: string; step: number | null }) => [e.transition, e.step])).toEqual([
    ['send', null],
    ['approve', 0],
    ['approve', 1],
    ['accept', 1],
    ['exported', null],
  ]);
  // Exported once, after the last approval.
  expect(await h.db.sandboxExport.count({ where: { itemRef: 'CO-BIG' } })).toBe(1);
  // The approvals that left a step to go were announced to the approvers, with the route.
  const announced = await h.db.notification.findMany({ where: { kind: 'step-approved', erpRecord: { itemRef: 'CO-BIG' } } });
  expect(announced).toHaveLength(2);

  // Under $10,000 no policy applies: one step, any accounting approver, as before.
  const small = (await call('GET', '/api/v1/items/cco/CO-SMALL')).body;
  expect(small.approvalPolicy).toBeNull();
  expect(small.steps).toEqual([{ name: 'Accounting approval', status: 'waiting', quorum: 'any', approvers: [], decisions: [] }]);
  expect((await call('POST', '/api/v1/items/cco/CO-SMALL/accept', { by: CFO })).body.erp.status).toBe('Exporting');
  await untilStatus(h, 'cco', 'CO-SMALL', 'Synced');
});

test('a rejection at a later step ends the round there; the re-sent round follows the policy as it is then', async () => {
  await call('PUT', '/api/v1/approval-policies/large', LARGE);
  await h.intake.upsertChangeOrder('CO-REJ', changeOrderBody({ number: 'REJ1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 20_000 }] }));
  await call('POST', '/api/v1/items/cco/CO-REJ/send', { by: PM });
  const stranger = await call('POST', '/api/v1/items/cco/CO-REJ/reject', { by: PM, reason: 'No' });
  // The project manager lacks the approver's permissions before anything else.
  expect(stranger.status).toBe(403);
  await call('POST', '/api/v1/items/cco/CO-REJ/accept', { by: APPROVER_2 });
  const rejected = await call('POST', '/api/v1/items/cco/CO-REJ/reject', { by: CFO, reason: 'Split the labor into its own change order.' });
  expect(rejected.status).toBe(200);
  expect(rejected.body.erp.status).toBe('Rejected');
  expect(rejected.body.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'rejected']);
  expect(rejected.body.steps[1].decisions).toEqual([
    expect.objectContaining({
      action: 'rejected',
      reason: 'Split the labor into its own change order.',
      by: { id: CFO, name: 'Fay Chen' },
    }),
  ]);

  // The policy now has the CFO alone: the next round follows it.
  await call('PUT', '/api/v1/approval-policies/large', { ...LARGE, steps: [{ name: 'CFO', approvers: [CFO] }] });
  await call('POST', '/api/v1/items/cco/CO-REJ/resend', { by: PM });
  const resent = (await call('GET', '/api/v1/items/cco/CO-REJ')).body;
  expect(resent.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['CFO', 'waiting']]);
  const notOnRoute = await call('POST', '/api/v1/items/cco/CO-REJ/accept', { by: APPROVER });
  expect(notOnRoute.status).toBe(403);
  expect(notOnRoute.body.error).toBe('not_on_route');
  expect((await call('POST', '/api/v1/items/cco/CO-REJ/accept', { by: CFO })).body.erp.status).toBe('Exporting');
  await untilStatus(h, 'cco', 'CO-REJ', 'Synced');
  await call('DELETE', '/api/v1/approval-policies/large');
});

test('the company calendar is validated and stored: the zone in its canonical name, holidays once and in order', async () => {
  expect((await call('GET', '/api/v1/calendar')).body).toEqual({
    timeZone: 'UTC',
    workdays: [1, 2, 3, 4, 5],
    hours: { start: '09:00', end: '17:00' },
    holidays: [],
  });
  const stored = await call('PUT', '/api/v1/calendar', {
    timeZone: 'america/chicago',
    workdays: [5, 1, 2, 3, 4],
    hours: { start: '08:00', end: '17:30' },
    holidays: ['2026-12-25', '2026-11-26', '2026-12-25'],
  });
  expect(stored).toEqual({
    status: 200,
    body: {
      timeZone: 'America/Chicago',
      workdays: [1, 2, 3, 4, 5],
      hours: { start: '08:00', end: '17:30' },
      holidays: ['2026-11-26', '2026-12-25'],
    },
  });
  expect((await call('GET', '/api/v1/calendar')).body.timeZone).toBe('America/Chicago');

  const good = { timeZone: 'UTC', workdays: [1, 2, 3, 4, 5], hours: { start: '09:00', end: '17:00' }, holidays: [] };
  const refused = [
    [{ ...good, timeZone: 'Mars/Olympus' }, 422, 'timeZone'],
    [{ ...good, hours: { start: '17:00', end: '09:00' } }, 422, 'hours'],
    [{ ...good, workdays: [1, 1] }, 422, 'workdays'],
    [{ ...good, workdays: [0, 1] }, 400, 'workdays.0'],
    [{ ...good, hours: { start: '9am', end: '17:00' } }, 400, 'hours.start'],
    [{ ...good, holidays: ['2026-02-30'] }, 400, 'holidays.0'],
  ] as const;
  for (const [body, status, field] of refused) {
    const answer = await call('PUT', '/api/v1/calendar', body);
    expect([answer.status, answer.body.field ?? answer.body.fields?.[0]?.field]).toEqual([status, field]);
  }
  const unknown = await call('PUT', '/api/v1/calendar', { ...good, weekends: [6, 7] });
  expect(unknown.status).toBe(400);
  expect(JSON.stringify(unknown.body)).toContain('weekends');
  // Nothing refused was stored.
  expect((await call('GET', '/api/v1/calendar')).body.timeZone).toBe('America/Chicago');
});

test('an approver away delegates: the delegate decides on their behalf and both are named; separation of duties holds; ending it ends the right', async () => {
  await addSenderApprover(h.intake);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const away = { to: CFO, from: day(-1), until: day(7) };
  const refused = [
    [{ ...away, to: CONTROLLER }, 422, 'to'],
    [{ ...away, from: day(3), until: day(2) }, 422, 'until'],
    [{ ...away, from: '2020-01-01', until: '2020-01-31' }, 422, 'until'],
    [{ ...away, to: PM }, 422, 'to'],
    [{ ...away, to: 'u-nobody' }, 422, 'to'],
    [{ ...away, until: '2026-13-01' }, 400, 'until'],
  ] as const;
  for (const [body, status, field] of refused) {
    const answer = await call('PUT', `/api/v1/users/${CONTROLLER}/delegation`, body);
    expect([answer.status, answer.body.field ?? answer.body.fields?.[0]?.field]).toEqual([status, field]);
  }
  expect((await call('PUT', `/api/v1/users/${CONTROLLER}/delegation`, { ...away, to: PM })).body.error).toBe('not_an_approver');
  expect((await call('GET', `/api/v1/users/${CONTROLLER}/delegation`)).status).toBe(404);

  const set = await call('PUT', `/api/v1/users/${CONTROLLER}/delegation`, away);
  expect(set).toMatchObject({ status: 200, body: { userId: CONTROLLER, to: CFO, delegate: { id: CFO, name: 'Fay Chen' }, active: true } });

  await call('PUT', '/api/v1/approval-policies/p100-cos', {
    name: 'P-100 change orders',
    appliesTo: { types: ['cco'], projects: ['P-100'] },
    steps: [{ name: 'Controller and Casey', approvers: [CONTROLLER, BOTH], quorum: 'all' }],
  });
  await h.intake.upsertChangeOrder('CO-DEL', changeOrderBody({ number: 'DEL1' }));
  await call('POST', '/api/v1/items/cco/CO-DEL/send', { by: PM });

  // The CFO's list holds what waits for the controller while he is away.
  expect(await waitingRefs(CFO, ['CO-DEL'])).toEqual(['CO-DEL']);

  // The CFO decides in the controller's place: the history and the step name both.
  const first = await call('POST', '/api/v1/items/cco/CO-DEL/accept', { by: CFO });
  expect(first.status).toBe(200);
  expect(first.body.steps[0].decisions).toEqual([
    expect.objectContaining({ action: 'approved', by: { id: CFO, name: 'Fay Chen' }, onBehalfOf: { id: CONTROLLER, name: 'Cole Grant' } }),
  ]);
  const approved = first.body.history.find((entry: { transition: string }) => entry.transition === 'approve');
  expect(approved).toMatchObject({ by: { id: CFO }, onBehalfOf: { id: CONTROLLER } });
  // The controller's place is taken: neither may approve it again.
  expect((await call('POST', '/api/v1/items/cco/CO-DEL/accept', { by: CFO })).status).toBe(403);
  expect((await call('POST', '/api/v1/items/cco/CO-DEL/accept', { by: CONTROLLER })).body.error).toBe('not_your_turn');
  expect((await call('POST', '/api/v1/items/cco/CO-DEL/accept', { by: BOTH })).body.erp.status).toBe('Exporting');
  await untilStatus(h, 'cco', 'CO-DEL', 'Synced');

  // Casey sends one and is away: the CFO may not accept it in Casey's place.
  await call('PUT', `/api/v1/users/${BOTH}/delegation`, away);
  await h.intake.upsertChangeOrder('CO-DEL2', changeOrderBody({ number: 'DEL2' }));
  expect((await call('POST', '/api/v1/items/cco/CO-DEL2/send', { by: BOTH })).status).toBe(200);
  // Its step names Casey, but Casey sent it: it is not in Casey's list (separation of duties).
  expect(await waitingRefs(BOTH, ['CO-DEL2'])).toEqual([]);
  expect((await h.db.erpRecord.findFirstOrThrow({ where: { itemRef: 'CO-DEL2' } })).waitingFor).toContain(BOTH);
  // The CFO first takes the place of the controller (away too), then could only act for Casey: refused.
  expect((await call('POST', '/api/v1/items/cco/CO-DEL2/accept', { by: CFO })).body.steps[0].decisions[0].onBehalfOf.id).toBe(CONTROLLER);
  const sod = await call('POST', '/api/v1/items/cco/CO-DEL2/accept', { by: CFO });
  expect(sod.status).toBe(403);
  expect(sod.body.error).toBe('separation_of_duties');
  expect(sod.body.message).toContain("so Fay Chen cannot accept it on Casey Both's behalf");

  // Back: the right ends with it.
  expect(await call('DELETE', `/api/v1/users/${CONTROLLER}/delegation`)).toEqual({
    status: 200,
    body: { userId: CONTROLLER, ended: true },
  });
  expect((await call('DELETE', `/api/v1/users/${CONTROLLER}/delegation`)).status).toBe(404);
  await call('DELETE', `/api/v1/users/${BOTH}/delegation`);
  await call('POST', '/api/v1/items/cco/CO-DEL2/retrieve', { by: BOTH });
  await call('DELETE', '/api/v1/approval-policies/p100-cos');
});

test('a send whose route has a step nobody could decide is refused before anything is written, naming the step and why', async () => {
  await addSenderApprover(h.intake);
  const FORMER = 'u-former';
  const approver = { name: 'Fran Former', email: 'fran@example.com', canPushToAccounting: true };
  await h.intake.upsertUser(FORMER, UserBody.parse({ ...approver, permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }] }));
  await call('PUT', '/api/v1/approval-policies/stuck', {
    name: 'Casey, then Fran',
    appliesTo: { types: ['cco'], projects: ['P-100'], minAmount: '20000.00' },
    steps: [
      { name: 'Casey', approvers: [BOTH] },
      { name: 'Fran', approvers: [FORMER] },
    ],
  });
  // Fran has since lost the approver's permissions.
  await h.intake.upsertUser(FORMER, UserBody.parse({ ...approver, permissions: [] }));
  await h.intake.upsertChangeOrder('CO-STUCK', changeOrderBody({ number: 'STK1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 25_000 }] }));

  const refused = await call('POST', '/api/v1/items/cco/CO-STUCK/send', { by: BOTH });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toBe('requirements_not_met');
  expect(refused.body.message).toBe(
    'Commitment change order CO-STUCK cannot be sent: nobody could decide step 1 of 2 (Casey): Casey Both is sending it (separation of duties); ' +
      "step 2 of 2 (Fran): Fran Former lacks 'Standard' or 'Admin' on the company's ERP Integrations tool. " +
      'Ask an administrator to change the approval policy "Casey, then Fran".',
  );
  expect(refused.body.violations.map((v: { field: string }) => v.field)).toEqual(['approvalPolicy.steps.0', 'approvalPolicy.steps.1']);
  const view = (await call('GET', '/api/v1/items/cco/CO-STUCK')).body;
  expect(view.erp.status).toBe('NotSent');
  expect(view.history).toEqual([]);

  // Someone may decide every step once an escalation target can: the round goes ahead.
  await call('PUT', '/api/v1/approval-policies/stuck', {
    name: 'Casey, then Fran',
    appliesTo: { types: ['cco'], projects: ['P-100'], minAmount: '20000.00' },
    steps: [{ name: 'Casey', approvers: [BOTH], escalateAfter: 'P1D', escalateTo: [CFO] }],
  });
  expect((await call('POST', '/api/v1/items/cco/CO-STUCK/send', { by: BOTH })).status).toBe(200);
  await call('POST', '/api/v1/items/cco/CO-STUCK/retrieve', { by: BOTH });
  await call('DELETE', '/api/v1/approval-policies/stuck');
});

test('one person does not approve two steps of a round: a policy naming someone in two steps is refused, and a delegate who approved one step may not approve the next', async () => {
  const twoSteps = await call('PUT', '/api/v1/approval-policies/twice', {
    name: 'Twice',
    steps: [
      { name: 'A', approvers: [CONTROLLER] },
      { name: 'B', approvers: [CFO, CONTROLLER] },
    ],
  });
  expect(twoSteps.status).toBe(422);
  expect(twoSteps.body).toMatchObject({ error: 'invalid_item', field: 'steps.1.approvers' });

  await call('PUT', '/api/v1/approval-policies/chain', {
    name: 'Controller, then the CFO or Dana',
    appliesTo: { types: ['cco'], projects: ['P-100'], minAmount: '30000.00' },
    steps: [
      { name: 'Controller', approvers: [CONTROLLER] },
      { name: 'CFO or Dana', approvers: [CFO, APPROVER] },
    ],
  });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await call('PUT', `/api/v1/users/${CONTROLLER}/delegation`, { to: CFO, from: day(-1), until: day(3) });
  await h.intake.upsertChangeOrder('CO-CHAIN', changeOrderBody({ number: 'CHN1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 31_000 }] }));
  await call('POST', '/api/v1/items/cco/CO-CHAIN/send', { by: PM });
  // The CFO approves step 1 in the controller's place, then may not approve step 2 as well.
  expect((await call('POST', '/api/v1/items/cco/CO-CHAIN/accept', { by: CFO })).body.steps[0].status).toBe('approved');
  const again = await call('POST', '/api/v1/items/cco/CO-CHAIN/accept', { by: CFO });
  expect(again.status).toBe(409);
  expect(again.body.error).toBe('not_your_turn');
  expect(again.body.message).toContain(
    'Fay Chen approved step 1 of 2 (Controller) already, and one person does not approve two steps of a round.',
  );
  expect((await call('POST', '/api/v1/items/cco/CO-CHAIN/accept', { by: APPROVER })).body.erp.status).toBe('Exporting');
  await untilStatus(h, 'cco', 'CO-CHAIN', 'Synced');
  await call('DELETE', `/api/v1/users/${CONTROLLER}/delegation`);
  await call('DELETE', '/api/v1/approval-policies/chain');
});
