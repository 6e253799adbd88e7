/**
 * Month-end: one approver accepts many items at once, through the API and `/erp accept`. Each item is
 * its own decision with every check of one accept; a refusal of one does not stop the others.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApi } from '../api/app';
import { BOTH, addSenderApprover, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually } from './support/harness';
import { APPROVER, PM, SLACK, startBotWorld, type BotWorld } from './support/bot-world';
import { approverQueue } from '../store/queues';
import { eventCallback, interaction, modalSubmit, slashCommand } from './support/slack-requests';
import { MODALS } from '../bot/views/modals';
import { ACCEPT_SELECTED_ACTION, SELECT_ACTION } from '../bot/views/queue';

const TOKEN = 'test-token-bulk-0123456789';
let w: BotWorld;
let server: Server;
let base: string;

beforeAll(async () => {
  w = await startBotWorld();
  await companyWithSyncedCommitment(w.h);
  await addSenderApprover(w.h.intake);
  server = createApi({ db: w.h.db, desk: w.h.desk, intake: w.h.intake, apiToken: TOKEN, health: [] }).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await w?.stop();
});

async function decide(body: unknown) {
  const response = await fetch(`${base}/api/v1/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const co = (ref: string) => ({ type: 'cco', ref });

async function sentChangeOrders(refs: readonly string[], by = PM) {
  for (const ref of refs) {
    await w.h.intake.upsertChangeOrder(ref, changeOrderBody({ number: ref.replace(/^CO-/, '') }));
    await w.h.desk.send('cco', ref, by);
  }
}

test('POST /api/v1/decisions accepts each item on its own: the refused ones say why, in the order given, and the rest export once', async () => {
  await sentChangeOrders(['CO-B1', 'CO-B2', 'CO-B3']);
  await sentChangeOrders(['CO-B4'], BOTH);
  await w.h.intake.upsertChangeOrder('CO-B5', changeOrderBody({ number: 'B5' }));

  const answer = await decide({
    by: BOTH,
    action: 'accept',
    items: [co('CO-B1'), co('CO-B4'), co('CO-B5'), co('CO-B1'), co('CO-NOPE'), co('CO-B2')],
    description: 'Month-end batch',
  });
  expect(answer.status).toBe(200);
  expect(answer.body.counts).toEqual({ accepted: 2, approved: 0, refused: 3, failed: 0 });
  expect(
    answer.body.results.map((r: { ref: string; outcome: string; error?: string; status?: string }) => [
      r.ref,
      r.outcome,
      r.error ?? r.status,
    ]),
  ).toEqual([
    ['CO-B1', 'accepted', 'Exporting'],
    // Casey sent it: separation of duties holds in bulk too.
    ['CO-B4', 'refused', 'separation_of_duties'],
    ['CO-B5', 'refused', 'not_awaiting_decision'],
    // Named again: its first result, repeated in its place.
    ['CO-B1', 'accepted', 'Exporting'],
    ['CO-NOPE', 'refused', 'unknown_item'],
    ['CO-B2', 'accepted', 'Exporting'],
  ]);
  expect(answer.body.results[2].message).toContain('Not Sent');
  expect(answer.body.results.map((r: { duplicateOf?: number }) => r.duplicateOf)).toEqual([
    undefined,
    undefined,
    undefined,
    0,
    undefined,
    undefined,
  ]);
  for (const ref of ['CO-B1', 'CO-B2']) await untilStatus(w.h, 'cco', ref, 'Synced');
  // Named twice, decided and exported once; the note is in each history.
  expect(await w.h.db.sandboxExport.count({ where: { itemRef: 'CO-B1' } })).toBe(1);
  const accepted = (await w.h.desk.view('cco', 'CO-B1')).history.find((entry) => entry.action === 'accepted');
  expect(accepted).toMatchObject({ by: { id: BOTH }, reason: 'Month-end batch' });
  expect((await w.h.desk.view('cco', 'CO-B4')).erp.status).toBe('ReadyToExport');
  // Casey's queue (App Home, /erp queue, the summary) leaves out what Casey sent; Dana's holds it.
  const readyFor = async (userId: string, allowSelfApproval = false) =>
    (await approverQueue(w.h.db, userId, 100, { allowSelfApproval })).readyToExport.items.map((item) => item.ref);
  expect(await readyFor(BOTH)).not.toContain('CO-B4');
  expect(await readyFor(APPROVER)).toContain('CO-B4');
  expect(await readyFor(BOTH, true)).toContain('CO-B4');

  // Someone who may not decide: every item refused, none decided.
  const pm = await decide({ by: PM, action: 'accept', items: [co('CO-B3'), co('CO-B4')] });
  expect(pm.body.results.map((r: { error: string }) => r.error)).toEqual(['permission_denied', 'permission_denied']);
  expect((await w.h.desk.view('cco', 'CO-B3')).erp.status).toBe('ReadyToExport');

  // Bad requests change nothing.
  const refused = [
    [{ by: APPROVER, action: 'reject', items: [co('CO-B3')] }, 400, 'action'],
    [{ by: APPROVER, action: 'accept', items: [] }, 400, 'items'],
    [{ by: APPROVER, action: 'accept', items: Array.from({ length: 201 }, (_, i) => co(`CO-X${i}`)) }, 400, 'items'],
    [{ by: APPROVER, action: 'accept', items: [{ type: 'cco', ref: 'CO-B3', extra: 1 }] }, 400, 'items.0'],
    [{ by: APPROVER, action: 'accept', items: [co('CO-B3')], description: 'a\u0000b' }, 400, 'description'],
  ] as const;
  for (const [body, status, field] of refused) {
    const bad = await decide(body);
    expect([bad.status, bad.body.fields?.[0]?.field]).toEqual([status, field]);
  }
  expect((await decide({ by: 'u-nobody', action: 'accept', items: [co('CO-B3')] })).body.error).toBe('unknown_user');
  expect((await w.h.desk.view('cco', 'CO-B3')).erp.status).toBe('ReadyToExport');
});

test('/erp accept takes several refs and a note after --, answers each one, and refuses unknown refs without stopping the rest', async () => {
  await sentChangeOrders(['CO-C1', 'CO-C2']);
  const url = w.slack.responseUrl('bulk');
  const acked = await w.send(slashCommand({ user: SLACK.approver, text: 'accept CO-C1 CO-ZZZ cco:CO-C2 -- Month-end', responseUrl: url }));
  expect(acked.status).toBe(200);
  const answer = await eventually(
    async () => w.slack.responses.find((r) => r.url.endsWith('/bulk') && String(r.body.text).startsWith('Accepted')),
    'the answer',
  );
  expect(answer.body.text).toBe('Accepted 2 of 3: 1 not accepted (below, with why).');
  const text = JSON.stringify(answer.body.blocks);
  expect(text).toContain('*CO-C1* accepted: Exporting');
  expect(text).toContain('*CO-C2* accepted: Exporting');
  expect(text).toContain('There is no item \\"CO-ZZZ\\"');
  for (const ref of ['CO-C1', 'CO-C2']) await untilStatus(w.h, 'cco', ref, 'Synced');
  const accepted = (await w.h.desk.view('cco', 'CO-C2')).history.find((entry) => entry.action === 'accepted');
  expect(accepted).toMatchObject({ by: { id: APPROVER }, reason: 'Month-end' });

  // A note longer than an accept's note may be is refused before anything is decided.
  await sentChangeOrders(['CO-C3']);
  await w.send(
    slashCommand({ user: SLACK.approver, text: `accept CO-C3 -- ${'x'.repeat(2001)}`, responseUrl: w.slack.responseUrl('long') }),
  );
  const long = await eventually(async () => w.slack.responses.find((r) => r.url.endsWith('/long')), 'the refusal');
  expect(long.body.text).toContain('Keep the note to 2000 characters (it has 2001).');
  expect((await w.h.desk.view('cco', 'CO-C3')).erp.status).toBe('ReadyToExport');
});

test('App Home: the ticked items are accepted at once from one modal, each on its own; the modal shows each result and the home is refreshed', async () => {
  await sentChangeOrders(['CO-H1', 'CO-H2', 'CO-H3']);
  await w.send(eventCallback({ type: 'app_home_opened', user: SLACK.approver, channel: 'DHOME', tab: 'home', event_ts: '2.1' }));
  const home = await eventually(
    async () =>
      w.slack.callsTo('views.publish').find((c) => c.args.user_id === SLACK.approver && JSON.stringify(c.args.view).includes('CO-H3')),
    'the approver home',
  );
  const accessories = (home.args.view.blocks as { accessory?: { type: string; action_id: string } }[]).flatMap((b) =>
    b.accessory?.type === 'checkboxes' ? [b.accessory.action_id] : [],
  );
  expect(accessories).toEqual(expect.arrayContaining([`${SELECT_ACTION}:cco:CO-H1`, `${SELECT_ACTION}:cco:CO-H3`]));
  expect(JSON.stringify(home.args.view.blocks)).toContain(ACCEPT_SELECTED_ACTION);

  // Nothing ticked: told so, no modal.
  const click = (values: Record<string, unknown>) =>
    w.send(
      interaction({
        type: 'block_actions',
        user: { id: SLACK.approver, team_id: 'T1' },
        trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
        container: { type: 'view', view_id: 'VHOME' },
        view: { id: 'VHOME', type: 'home', state: { values } },
        actions: [{ type: 'button', action_id: ACCEPT_SELECTED_ACTION, block_id: 'bulk', action_ts: String(Date.now() / 1000) }],
      }),
    );
  const opened = w.slack.callsTo('views.open').length;
  await click({});
  await eventually(
    async () =>
      w.slack.callsTo('chat.postMessage').find((c) => c.args.channel === SLACK.approver && String(c.args.text).includes('Tick the items')),
    'the hint',
  );
  expect(w.slack.callsTo('views.open')).toHaveLength(opened);

  // CO-H1 and CO-H3 ticked (and a forged value that names no item type, ignored).
  const ticked = (key: string) => ({ [`${SELECT_ACTION}:${key}`]: { type: 'checkboxes', selected_options: [{ value: key }] } });
  await click({ a: ticked('cco:CO-H1'), b: ticked('cco:CO-H3'), c: ticked('nonsense:CO-H2') });
  const modal = await eventually(async () => w.slack.callsTo('views.open')[opened], 'the modal');
  expect(modal.args.view.callback_id).toBe(MODALS.acceptMany);
  const context = JSON.parse(modal.args.view.private_metadata);
  expect(context.items).toEqual([co('CO-H1'), co('CO-H3')]);

  const submitted = await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.acceptMany,
      privateMetadata: modal.args.view.private_metadata,
      values: { description: 'Month-end' },
    }),
  );
  expect(submitted.status).toBe(200);
  expect(submitted.json().response_action).toBe('update');
  const results = await eventually(
    async () =>
      w.slack.callsTo('views.update').find((c) => c.args.view_id === 'VMODAL' && JSON.stringify(c.args.view).includes('Accepted 2 of 2')),
    'the results in the modal',
  );
  expect(JSON.stringify(results.args.view.blocks)).toContain('*CO-H3* accepted');
  for (const ref of ['CO-H1', 'CO-H3']) await untilStatus(w.h, 'cco', ref, 'Synced');
  expect((await w.h.desk.view('cco', 'CO-H2')).erp.status).toBe('ReadyToExport');
  const accepted = (await w.h.desk.view('cco', 'CO-H1')).history.find((entry) => entry.action === 'accepted');
  expect(accepted).toMatchObject({ by: { id: APPROVER }, reason: 'Month-end' });
  // The refreshed home no longer lists them.
  const refreshed = await eventually(async () => {
    const publishes = w.slack.callsTo('views.publish').filter((c) => c.args.user_id === SLACK.approver);
    const last = publishes[publishes.length - 1]!;
    return publishes.length > 1 && !JSON.stringify(last.args.view).includes('CO-H1') && last;
  }, 'the refreshed home');
  expect(JSON.stringify(refreshed.args.view)).toContain('CO-H2');
});

test('a hundred items accepted with one command: each decided once, every one answered', async () => {
  const refs = Array.from({ length: 100 }, (_, i) => `CO-M${i + 1}`);
  for (const ref of refs) await w.h.intake.upsertChangeOrder(ref, changeOrderBody({ number: ref.replace(/^CO-/, '') }));
  await Promise.all(refs.map((ref) => w.h.desk.send('cco', ref, PM)));
  const acked = await w.send(
    slashCommand({ user: SLACK.approver, text: `accept ${refs.join(' ')}`, responseUrl: w.slack.responseUrl('hundred') }),
  );
  expect(acked.status).toBe(200);
  const answer = await eventually(
    async () => w.slack.responses.find((r) => r.url.endsWith('/hundred') && String(r.body.text).startsWith('Accepted')),
    'the answer',
    60_000,
  );
  expect(answer.body.text).toBe('Accepted 100 of 100.');
  expect(answer.body.blocks.length).toBeLessThanOrEqual(50);
  expect(await w.h.db.historyEntry.count({ where: { action: 'accept', erpRecord: { itemRef: { in: refs } } } })).toBe(100);
});
