/**
 * The Slack bot driven exactly as Slack drives it: signed HTTP requests to /slack/events, answers
 * through a stand-in Web API, against the real engine.
 */
import { approvalWorkflowId } from '../domain/item-types';
import { ACTIONS } from '../bot/views/buttons';
import { LINK_ACTION } from '../bot/views/item-blocks';
import { MODALS } from '../bot/views/modals';
import { APPROVER_2, BOTH, ENGINEER, addSenderApprover, changeOrderBody } from './support/fixtures';
import { PolicyBody } from '../domain/intake';
import { deletePolicy, putPolicy } from '../store/policies';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { ReceivedInDatabase } from '../bot/received-requests';
import { eventually } from './support/harness';
import { APPROVER, APPROVERS_CHANNEL, PM, SLACK, startBotWorld, type BotWorld } from './support/bot-world';
import { SIGNING_SECRET, buttonClick, eventCallback, modalSubmit, slackSignature, slashCommand } from './support/slack-requests';

let w: BotWorld;
let responses = 0;

beforeAll(async () => {
  w = await startBotWorld();
  await companyWithSyncedCommitment(w.h);
});

afterAll(() => w?.stop());

const text = (value: unknown) => JSON.stringify(value ?? null);

/** Runs `/erp <text>` as `user` and returns what the bot answered through the response URL. */
async function erp(user: string, commandText: string) {
  const id = `r${(responses += 1)}`;
  const answer = await w.send(slashCommand({ user, text: commandText, responseUrl: w.slack.responseUrl(id) }));
  expect(answer.status).toBe(200);
  const response = await eventually(
    async () => w.slack.responses.find((r) => r.url.endsWith(`/${id}`)),
    `the answer to /erp ${commandText}`,
  );
  expect(response.body.response_type).toBe('ephemeral');
  return response.body;
}

/** The review request posted for a ref (the latest round's). */
async function reviewPost(ref: string, round = 1) {
  return eventually(async () => {
    const posts = w.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === APPROVERS_CHANNEL && text(c.args.blocks).includes(` ${ref} · `));
    return posts[round - 1];
  }, `the review request for ${ref} (round ${round})`);
}

/** The Slack ts of a round's review request, as the bot stored it. */
async function messageTs(ref: string, round: number): Promise<string> {
  return eventually(
    async () => (await w.h.db.slackMessage.findFirst({ where: { round, erpRecord: { itemRef: ref } } }))?.ts,
    `the message of ${ref} round ${round}`,
  );
}

/** The last version of that message, after chat.update calls. */
function latestMessage(ts: string) {
  const updates = w.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
  return updates[updates.length - 1]?.args;
}

/** Every notice recorded so far has been delivered (so nothing more is on its way). */
async function untilNoticesDelivered() {
  await eventually(
    async () => (await w.h.db.notification.count({ where: { deliveredAt: null, kind: { not: 'daily-summary' } } })) === 0,
    'every notice delivered',
  );
}

async function messageSaying(ts: string, fragment: string) {
  return eventually(async () => {
    const latest = latestMessage(ts);
    return latest && text(latest.blocks).includes(fragment) && latest;
  }, `the message ${ts} to say "${fragment}"`);
}

function buttonsIn(blocks: unknown): string[] {
  return (blocks as { type: string; elements?: { action_id: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements!.map((e) => e.action_id));
}

async function openedModal(callbackId: string, after: number) {
  return eventually(
    async () =>
      w.slack
        .callsTo('views.open')
        .slice(after)
        .find((c) => c.args.view.callback_id === callbackId),
    `the ${callbackId} modal`,
  );
}

test('reject → direct message → re-send → accept → Synced, through commands, buttons and modals only', async () => {
  await w.h.intake.upsertChangeOrder('CO-S1', changeOrderBody({ number: 'S1' }));

  const sent = await erp(SLACK.pm, 'send CO-S1');
  expect(sent.text).toContain('CO-S1 is with accounting now');

  // The review request shows the essentials and the two buttons.
  const post = await reviewPost('CO-S1');
  const blocks = text(post.args.blocks);
  for (const fragment of ['CO-S1', 'P-100', 'Extra rebar at grid C', 'Solid Rock Concrete', '$4,250.25', 'Pat Morgan', 'SOV 1'])
    expect(blocks).toContain(fragment);
  expect(buttonsIn(post.args.blocks)).toEqual([ACTIONS.accept, ACTIONS.reject]);
  // It names the reviewed snapshot the ERP will receive.
  const reviewed = (await w.h.desk.view('cco', 'CO-S1')).erp.reviewed!;
  expect(blocks).toContain(`Reviewed snapshot \`sha256:${reviewed.hash}\``);
  const ts = await messageTs('CO-S1', 1);

  // Reject: the modal insists on a reason, inside the modal.
  const before = w.slack.callsTo('views.open').length;
  expect(
    (
      await w.send(
        buttonClick({ user: SLACK.approver, actionId: ACTIONS.reject, value: 'cco:CO-S1', channel: APPROVERS_CHANNEL, messageTs: ts }),
      )
    ).status,
  ).toBe(200);
  const modal = await openedModal(MODALS.reject, before);
  expect(modal.args.view.submit.text).toBe('Reject');
  const empty = await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.reject,
      privateMetadata: modal.args.view.private_metadata,
      values: { reason: '  ' },
    }),
  );
  expect(empty.json()).toEqual({ response_action: 'errors', errors: { reason: 'A reason is required: tell the creator what to fix.' } });
  const tooLong = await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.reject,
      privateMetadata: modal.args.view.private_metadata,
      values: { reason: 'x'.repeat(2001) },
    }),
  );
  expect(tooLong.json().errors.reason).toContain('2000 characters');
  expect((await w.h.desk.view('cco', 'CO-S1')).erp.status).toBe('ReadyToExport');

  const submitted = await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.reject,
      privateMetadata: modal.args.view.private_metadata,
      values: { reason: 'Split the rebar and the labor' },
    }),
  );
  expect(submitted.status).toBe(200);
  const rejected = await messageSaying(ts, 'Rejected');
  expect(text(rejected.blocks)).toContain('Dana Lee');
  expect(text(rejected.blocks)).toContain('Split the rebar and the labor');
  expect(buttonsIn(rejected.blocks)).toEqual([]);

  // The creator is told at once, with a way to re-send.
  const dm = await eventually(
    async () =>
      w.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === SLACK.pm && text(c.args.blocks).includes('Rejection Notification')),
    'the DM to the creator',
  );
  expect(text(dm.args.blocks)).toContain('Acme Builders: ERP Commitment Rejection Notification');
  expect(text(dm.args.blocks)).toContain('Split the rebar and the labor');
  expect(buttonsIn(dm.args.blocks)).toEqual([ACTIONS.resend, ACTIONS.void]);

  // Re-send from the DM's button; approvers get a new request with the previous reason.
  await w.send(buttonClick({ user: SLACK.pm, actionId: ACTIONS.resend, value: 'cco:CO-S1', channel: `D${SLACK.pm}`, messageTs: '1.1' }));
  const repost = await reviewPost('CO-S1', 2);
  expect(text(repost.args.blocks)).toContain('Re-sent');
  expect(text(repost.args.blocks)).toContain('Previous rejection:* Split the rebar and the labor');
  expect(text(repost.args.blocks)).toContain('Changed since the rejected version:* nothing.');
  const ts2 = await messageTs('CO-S1', 2);
  // The first request now points at the new one, without buttons.
  const superseded = await messageSaying(ts, 'see the new review request (round 2)');
  expect(buttonsIn(superseded.blocks)).toEqual([]);

  // Accept with a description: the modal says Export; the message ends Synced with the ERP id.
  const beforeAccept = w.slack.callsTo('views.open').length;
  await w.send(
    buttonClick({ user: SLACK.approver, actionId: ACTIONS.accept, value: 'cco:CO-S1', channel: APPROVERS_CHANNEL, messageTs: ts2 }),
  );
  const acceptModal = await openedModal(MODALS.accept, beforeAccept);
  expect(acceptModal.args.view.submit.text).toBe('Export');
  await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.accept,
      privateMetadata: acceptModal.args.view.private_metadata,
      values: { description: 'Checked' },
    }),
  );
  const view = await untilStatus(w.h, 'cco', 'CO-S1', 'Synced');
  const synced = await messageSaying(ts2, 'Synced');
  expect(text(synced.blocks)).toContain(view.erp.erpId!);
  expect(buttonsIn(synced.blocks)).toEqual([]);
  await eventually(
    async () =>
      w.slack.callsTo('chat.postMessage').find((c) => c.args.channel === SLACK.pm && String(c.args.text).includes('is in the ERP now')),
    'the synced DM',
  );
  expect(view.history.map((e) => e.action)).toEqual(['sent', 'rejected', 're-sent', 'accepted', 'exported']);
});

test('two approvers clicking Accept at once: one decision, the other is told who decided', async () => {
  await w.h.intake.upsertChangeOrder('CO-S2', changeOrderBody({ number: 'S2' }));
  await w.h.desk.send('cco', 'CO-S2', PM);
  const metadata = JSON.stringify({ type: 'cco', ref: 'CO-S2', channel: APPROVERS_CHANNEL });
  const ephemeralBefore = w.slack.callsTo('chat.postEphemeral').length;
  const answers = await Promise.all([
    w.send(modalSubmit({ user: SLACK.approver, callbackId: MODALS.accept, privateMetadata: metadata, values: { description: '' } })),
    w.send(modalSubmit({ user: SLACK.approver2, callbackId: MODALS.accept, privateMetadata: metadata, values: { description: '' } })),
  ]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  const told = await eventually(
    async () =>
      w.slack
        .callsTo('chat.postEphemeral')
        .slice(ephemeralBefore)
        .find((c) => String(c.args.text).includes('CO-S2')),
    'the loser to be told',
  );
  expect(told.args.channel).toBe(APPROVERS_CHANNEL);
  expect(told.args.text).toMatch(/(already being accepted|was accepted) by (Dana Lee|Sam Ortiz)/);
  const view = await untilStatus(w.h, 'cco', 'CO-S2', 'Synced');
  expect(view.history.filter((e) => e.action === 'accepted')).toHaveLength(1);
  expect(await w.h.sandbox.exportsFor('CO-S2')).toHaveLength(1);
});

test('an Accept window left open while the item is retrieved, changed and sent again approves nothing', async () => {
  await w.h.intake.upsertChangeOrder('CO-SR', changeOrderBody({ number: 'SR' }));
  await w.h.desk.send('cco', 'CO-SR', PM);
  const ts = await messageTs('CO-SR', 1);
  const before = w.slack.callsTo('views.open').length;
  await w.send(
    buttonClick({ user: SLACK.approver, actionId: ACTIONS.accept, value: 'cco:CO-SR', channel: APPROVERS_CHANNEL, messageTs: ts }),
  );
  const modal = await openedModal(MODALS.accept, before);
  expect(JSON.parse(modal.args.view.private_metadata)).toMatchObject({ type: 'cco', ref: 'CO-SR', round: 1 });

  // Meanwhile the creator takes it back, raises the amount and sends it again.
  await w.h.desk.retrieve('cco', 'CO-SR', { by: PM });
  await w.h.intake.upsertChangeOrder(
    'CO-SR',
    changeOrderBody({ number: 'SR', lines: [{ lineNo: 1, sovLineNo: 1, description: 'Rebar', amount: '950000.00' }] }),
  );
  await w.h.desk.send('cco', 'CO-SR', PM);

  const ephemeralBefore = w.slack.callsTo('chat.postEphemeral').length;
  const submitted = await w.send(
    modalSubmit({
      user: SLACK.approver,
      callbackId: MODALS.accept,
      privateMetadata: modal.args.view.private_metadata,
      values: { description: 'ok' },
    }),
  );
  expect(submitted.status).toBe(200);
  const told = await eventually(
    async () =>
      w.slack
        .callsTo('chat.postEphemeral')
        .slice(ephemeralBefore)
        .find((c) => String(c.args.text).includes('CO-SR')),
    'the approver to be told',
  );
  expect(told.args.text).toContain(
    'was sent again after round 1 was opened for review: it is now round 2, a new version. Nothing was decided',
  );
  const view = await w.h.desk.view('cco', 'CO-SR');
  expect(view.erp).toMatchObject({ status: 'ReadyToExport', round: 2 });
  expect(view.history.map((e) => e.action)).toEqual(['sent', 'retrieved', 'sent']);
  expect(await w.h.sandbox.exportsFor('CO-SR')).toEqual([]);
  // Through the API, a decision naming the round it reviewed is held to it the same way.
  await expect(w.h.desk.accept('cco', 'CO-SR', { by: APPROVER, round: 1 })).rejects.toMatchObject({ code: 'not_awaiting_decision' });
  await w.h.desk.accept('cco', 'CO-SR', { by: APPROVER, round: 2 });
  expect((await untilStatus(w.h, 'cco', 'CO-SR', 'Synced')).history.filter((e) => e.action === 'accepted')).toHaveLength(1);
});

test("a non-approver's click gets a private refusal naming the missing permission, and no modal", async () => {
  await w.h.intake.upsertChangeOrder('CO-S3', changeOrderBody({ number: 'S3' }));
  await w.h.desk.send('cco', 'CO-S3', PM);
  const opened = w.slack.callsTo('views.open').length;
  await w.send(
    buttonClick({ user: SLACK.engineer, actionId: ACTIONS.accept, value: 'cco:CO-S3', channel: APPROVERS_CHANNEL, messageTs: '9.9' }),
  );
  const refusal = await eventually(
    async () => w.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === SLACK.engineer),
    'the refusal',
  );
  expect(refusal.args.text).toContain(
    "Eli Field cannot accept commitment change order CO-S3: missing the 'Can Push to Accounting' privilege",
  );
  expect(w.slack.callsTo('views.open')).toHaveLength(opened);

  await w.send(
    buttonClick({ user: SLACK.stranger, actionId: ACTIONS.accept, value: 'cco:CO-S3', channel: APPROVERS_CHANNEL, messageTs: '9.9' }),
  );
  const stranger = await eventually(
    async () => w.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === SLACK.stranger),
    'the stranger to be told',
  );
  expect(stranger.args.text).toContain("can't find you in the company directory (no user with the email stranger@elsewhere.com)");
  expect((await w.h.desk.view('cco', 'CO-S3')).erp.status).toBe('ReadyToExport');
});

test('forged, stale and replayed requests get 401 and change nothing; Slack retries are not applied twice', async () => {
  await w.h.intake.upsertChangeOrder('CO-S4', changeOrderBody({ number: 'S4' }));
  await w.h.desk.send('cco', 'CO-S4', PM);
  const metadata = JSON.stringify({ type: 'cco', ref: 'CO-S4', channel: APPROVERS_CHANNEL });
  const reject = modalSubmit({ user: SLACK.approver, callbackId: MODALS.reject, privateMetadata: metadata, values: { reason: 'forged' } });

  expect((await w.send(reject, { secret: 'not-the-secret' })).status).toBe(401);
  expect((await w.send(reject, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })).status).toBe(401);
  expect((await w.send(reject, { signature: 'v0=deadbeef' })).status).toBe(401);
  expect((await w.h.desk.view('cco', 'CO-S4')).erp.status).toBe('ReadyToExport');

  const timestamp = Math.floor(Date.now() / 1000);
  const accept = modalSubmit({ user: SLACK.approver, callbackId: MODALS.accept, privateMetadata: metadata, values: { description: '' } });
  expect((await w.send(accept, { timestamp })).status).toBe(200);
  expect((await w.send(accept, { timestamp })).status).toBe(401);
  expect((await w.send(accept, { retryNum: 1 })).status).toBe(200);
  await untilStatus(w.h, 'cco', 'CO-S4', 'Synced');
  const view = await w.h.desk.view('cco', 'CO-S4');
  expect(view.history.map((e) => e.action)).toEqual(['sent', 'accepted', 'exported']);
  // The retry was acknowledged silently: nobody was told "already accepted".
  expect(w.slack.callsTo('chat.postEphemeral').filter((c) => String(c.args.text).includes('CO-S4'))).toHaveLength(0);
});

test('text from items and people is escaped: a title of <!channel> & <@U123> pings nobody', async () => {
  await w.h.intake.upsertChangeOrder('CO-S5', changeOrderBody({ number: 'S5', title: '<!channel> & <@U123>' }));
  await w.h.desk.send('cco', 'CO-S5', PM);
  const post = await reviewPost('CO-S5');
  // Slack reads mentions in mrkdwn and in the notification text; plain_text shows them literally.
  const mrkdwn: string[] = [String(post.args.text)];
  JSON.stringify(post.args.blocks, (_key, value) => {
    if (value && typeof value === 'object' && value.type === 'mrkdwn') mrkdwn.push(value.text);
    return value;
  });
  const all = mrkdwn.join('\n');
  expect(all).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
  expect(all).not.toContain('<!channel>');
  expect(all).not.toContain('<@U123>');
});

test('a slash command with an unknown ref suggests close refs; help and status answer privately', async () => {
  const unknown = await erp(SLACK.pm, 'status CO-S01');
  expect(unknown.text).toContain('There is no item "CO-S01". Did you mean');
  expect(unknown.text).toContain('CO-S1');
  expect((await erp(SLACK.pm, 'help')).text).toContain('`resend <ref>`');
  expect((await erp(SLACK.pm, 'frobnicate')).text).toContain(`I don't know "frobnicate"`);
  const status = await erp(SLACK.pm, 'status CO-S1');
  expect(status.text).toBe('CO-S1 is Synced');
  const history = await erp(SLACK.pm, 'history CO-S1');
  expect(history.text).toContain('rejected by Dana Lee — “Split the rebar and the labor”');
  const wrongState = await erp(SLACK.pm, 'resend CO-S1');
  expect(wrongState.text).toContain('is Synced, so it cannot be re-sent');
});

test('a failed export is shown with its message and Retry export / Reject buttons, and retry syncs it', async () => {
  await w.h.intake.upsertChangeOrder('CO-S6', changeOrderBody({ number: 'S6' }));
  await w.h.sandbox.injectFault({ itemRef: 'CO-S6', permanentMessage: 'Period 11/2026 is closed' });
  await w.h.desk.send('cco', 'CO-S6', PM);
  const ts = await messageTs('CO-S6', 1);
  await w.h.desk.accept('cco', 'CO-S6', { by: APPROVER });
  const failed = await messageSaying(ts, 'Failed to Export');
  expect(text(failed.blocks)).toContain('Period 11/2026 is closed');
  expect(buttonsIn(failed.blocks)).toEqual([ACTIONS.retryExport, ACTIONS.reject]);

  await w.h.sandbox.clearFault('CO-S6');
  await w.send(
    buttonClick({ user: SLACK.approver, actionId: ACTIONS.retryExport, value: 'cco:CO-S6', channel: APPROVERS_CHANNEL, messageTs: ts }),
  );
  await messageSaying(ts, 'Synced');
  await w.h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-S6')).result();
});

test('App Home shows an approver the queue with buttons, and a creator their rejected items', async () => {
  await w.h.intake.upsertChangeOrder('CO-S7', changeOrderBody({ number: 'S7' }));
  await w.h.desk.send('cco', 'CO-S7', PM);
  await w.h.intake.upsertChangeOrder('CO-S8', changeOrderBody({ number: 'S8' }));
  await w.h.desk.send('cco', 'CO-S8', PM);
  await w.h.desk.reject('cco', 'CO-S8', { by: APPROVER, reason: 'Wrong vendor' });

  expect(
    (await w.send(eventCallback({ type: 'app_home_opened', user: SLACK.approver, channel: 'DHOME', tab: 'home', event_ts: '1.2' }))).status,
  ).toBe(200);
  const home = await eventually(
    async () => w.slack.callsTo('views.publish').find((c) => c.args.user_id === SLACK.approver),
    'the approver home',
  );
  const approverHome = text(home.args.view.blocks);
  expect(approverHome).toContain('Ready to Export (');
  expect(approverHome).toContain('CO-S7');
  expect(approverHome).not.toContain('CO-S8*'); // rejected items are not an approver's queue
  expect(buttonsIn(home.args.view.blocks)).toEqual(expect.arrayContaining([`${ACTIONS.accept}:cco:CO-S7`, `${ACTIONS.reject}:cco:CO-S7`]));

  await w.send(eventCallback({ type: 'app_home_opened', user: SLACK.pm, channel: 'DHOME2', tab: 'home', event_ts: '1.3' }));
  const pmHome = await eventually(
    async () => w.slack.callsTo('views.publish').find((c) => c.args.user_id === SLACK.pm),
    'the creator home',
  );
  expect(text(pmHome.args.view.blocks)).toContain('Rejected, waiting for your re-send');
  expect(text(pmHome.args.view.blocks)).toContain('Wrong vendor');
  expect(buttonsIn(pmHome.args.view.blocks)).toEqual([`${ACTIONS.resend}:cco:CO-S8`]);

  // The queue's Accept button works like the message's.
  const before = w.slack.callsTo('views.open').length;
  await w.send(buttonClick({ user: SLACK.approver, actionId: `${ACTIONS.accept}:cco:CO-S7`, value: 'cco:CO-S7' }));
  await openedModal(MODALS.accept, before);
});

test('Slack rate limits (429) are retried by the client, not lost', async () => {
  w.slack.rateLimit('chat.postMessage', 1);
  await w.h.intake.upsertChangeOrder('CO-S9', changeOrderBody({ number: 'S9' }));
  await w.h.desk.send('cco', 'CO-S9', PM);
  await reviewPost('CO-S9');
});

test('a rejection reaches the creator and the sender once each, with View Online; the re-send shows what changed; void from the DM', async () => {
  // Eli created it in the source system; Pat sent it.
  await w.h.intake.upsertChangeOrder(
    'CO-DM9',
    changeOrderBody({ number: 'DM9', createdBy: ENGINEER, url: 'https://pm.example.com/cco/DM9' }),
  );
  await w.h.desk.send('cco', 'CO-DM9', PM);
  await w.h.desk.reject('cco', 'CO-DM9', { by: APPROVER, reason: 'Move the slab line to SOV 1' });
  const rejectionDms = () =>
    w.slack
      .callsTo('chat.postMessage')
      .filter((c) => text(c.args.blocks).includes('Rejection Notification') && text(c.args.blocks).includes('CO-DM9'));
  await eventually(async () => rejectionDms().length === 2, 'the rejection DMs');
  await untilNoticesDelivered();
  expect(
    rejectionDms()
      .map((c) => c.args.channel)
      .sort(),
  ).toEqual([SLACK.engineer, SLACK.pm].sort());
  const dm = rejectionDms()[0]!;
  const link = (dm.args.blocks as { type: string; elements?: { action_id: string; url?: string }[] }[])
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.url);
  expect(link).toMatchObject({ action_id: LINK_ACTION, url: 'https://pm.example.com/cco/DM9' });
  // Slack reports the link click; it is acknowledged and changes nothing.
  expect(
    (await w.send(buttonClick({ user: SLACK.pm, actionId: LINK_ACTION, value: '', channel: `D${SLACK.pm}`, messageTs: '1.2' }))).status,
  ).toBe(200);

  // Fixed and re-sent: the new review request says what changed since the rejected version.
  await w.h.intake.upsertChangeOrder(
    'CO-DM9',
    changeOrderBody({
      number: 'DM9',
      createdBy: ENGINEER,
      lines: [
        { lineNo: 1, sovLineNo: 1, description: 'Rebar', amount: '1500.00' },
        { lineNo: 3, sovLineNo: 1, description: 'Slab thickening', amount: '2000' },
      ],
    }),
  );
  await erp(SLACK.pm, 'RESEND CO-DM9');
  const repost = text((await reviewPost('CO-DM9', 2)).args.blocks);
  expect(repost).toContain('Changed since the rejected version:*');
  expect(repost).toContain('*Total Amount:* $4,250.25 → $3,500.00');
  expect(repost).toContain('*Line 2:* SOV 1 · Labor for rebar · 03-300/S · $750.25 → (removed)');
  expect(repost).toContain('*Line 3:* SOV 2 · Slab thickening · 03-300/S · $2,000.00 → SOV 1 · Slab thickening · 03-300/S · $2,000.00');

  // Rejected again, then voided from the DM's button: it leaves the queues for good.
  await w.h.desk.reject('cco', 'CO-DM9', { by: APPROVER, reason: 'Not needed after all' });
  await w.send(buttonClick({ user: SLACK.pm, actionId: ACTIONS.void, value: 'cco:CO-DM9', channel: `D${SLACK.pm}`, messageTs: '1.3' }));
  await untilStatus(w.h, 'cco', 'CO-DM9', 'Voided');
  const resend = await erp(SLACK.pm, 'resend CO-DM9');
  expect(resend.text).toContain('Voided, so it cannot be re-sent');
});

test('the sender of a round is refused at the Accept button before any modal, and /erp status says why', async () => {
  await addSenderApprover(w.h.intake, 'UBOTH');
  await w.h.intake.upsertChangeOrder('CO-SD', changeOrderBody({ number: 'SD' }));
  await w.h.desk.send('cco', 'CO-SD', BOTH);
  const ts = await messageTs('CO-SD', 1);
  const modals = w.slack.callsTo('views.open').length;
  const ephemerals = w.slack.callsTo('chat.postEphemeral').length;
  await w.send(buttonClick({ user: 'UBOTH', actionId: ACTIONS.accept, value: 'cco:CO-SD', channel: APPROVERS_CHANNEL, messageTs: ts }));
  const refusal = await eventually(
    async () =>
      w.slack
        .callsTo('chat.postEphemeral')
        .slice(ephemerals)
        .find((c) => c.args.user === 'UBOTH'),
    'the refusal',
  );
  expect(refusal.args.text).toContain('Casey Both sent commitment change order CO-SD for this round, so cannot also accept it');
  expect(w.slack.callsTo('views.open').length).toBe(modals);

  const status = await erp('UBOTH', 'status CO-SD');
  expect(text(status.blocks)).toContain('*You can now:* retrieve');
  expect(text(status.blocks)).toContain('_accept_: Casey Both sent commitment change order CO-SD');
  expect((await w.h.desk.view('cco', 'CO-SD')).erp.status).toBe('ReadyToExport');
});

test('a captured request replayed in any disguise is refused; unsigned traffic is not remembered', async () => {
  await w.h.intake.upsertChangeOrder('CO-RP', changeOrderBody({ number: 'RP' }));
  await w.h.desk.send('cco', 'CO-RP', PM);
  const answers = () => w.slack.responses.filter((r) => r.url.endsWith('/replayed')).length;
  const request = slashCommand({ user: SLACK.pm, text: 'retrieve CO-RP', responseUrl: w.slack.responseUrl('replayed') });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = slackSignature(SIGNING_SECRET, timestamp, request.body);
  expect((await w.send(request, { timestamp })).status).toBe(200);
  await eventually(async () => answers() === 1, 'the answer to the retrieve');
  await untilStatus(w.h, 'cco', 'CO-RP', 'Retrieved');
  const remembered = await w.remembered();
  expect(remembered).toBeGreaterThan(0);

  const disguises: [Record<string, string>, number][] = [
    [{ 'x-slack-retry-num': '0' }, 400],
    [{ 'x-slack-retry-num': 'abc' }, 400],
    [{ 'x-slack-signature': `${signature}=x` }, 401],
    [{ 'x-slack-request-timestamp': `${timestamp}.0` }, 401],
    [{ 'x-slack-request-timestamp': `0${timestamp}` }, 401],
    [{ 'x-slack-signature': signature.toUpperCase().replace('V0=', 'v0=') }, 401],
    [{}, 401],
  ];
  for (const [headers, status] of disguises) {
    expect({ headers, status: (await w.send(request, { timestamp, headers })).status }).toEqual({ headers, status });
  }
  // A request dated in the future is no more valid than an old one.
  expect((await w.send(request, { timestamp: timestamp + 10 * 60 })).status).toBe(401);
  // Unsigned or oversized headers are refused before anything is read or remembered.
  for (let i = 0; i < 50; i++) expect((await w.send(request, { signature: `v0=${'a'.repeat(12_000)}${i}` })).status).toBe(401);
  expect(await w.remembered()).toBe(remembered);

  // Nothing acted on again: one answer, one retrieve in the history.
  await w.send(slashCommand({ user: SLACK.pm, text: 'help', responseUrl: w.slack.responseUrl('after-replays') }));
  await eventually(async () => w.slack.responses.some((r) => r.url.endsWith('/after-replays')), 'a later command answered');
  expect(answers()).toBe(1);
  expect((await w.h.desk.view('cco', 'CO-RP')).history.filter((e) => e.action === 'retrieved')).toHaveLength(1);
});

/** Every mrkdwn string of a Slack call (its notification text and each mrkdwn text object). */
function mrkdwnOf(args: Record<string, any>): string[] {
  const found: string[] = args.text === undefined ? [] : [String(args.text)];
  JSON.stringify(args.blocks ?? args.view?.blocks ?? [], (_key, value) => {
    if (value && typeof value === 'object' && value.type === 'mrkdwn') found.push(value.text);
    return value;
  });
  return found;
}

/** Where a Slack call breaks a Block Kit limit (Slack would refuse it with invalid_blocks). */
function blockKitProblems(args: Record<string, any>): string[] {
  const problems: string[] = [];
  const blocks: any[] = args.blocks ?? args.view?.blocks ?? [];
  if (blocks.length > (args.view?.type === 'home' ? 100 : 50)) problems.push(`${blocks.length} blocks`);
  for (const block of blocks) {
    if (block.type === 'section' && block.text && block.text.text.length > 3000) problems.push(`section text ${block.text.text.length}`);
    for (const field of block.fields ?? []) if (field.text.length > 2000) problems.push(`field ${field.text.length}`);
    if (block.type === 'header' && block.text.text.length > 150) problems.push(`header ${block.text.text.length}`);
    if (block.type === 'context')
      for (const element of block.elements) if (element.text?.length > 2000) problems.push(`context ${element.text.length}`);
    if (block.type === 'actions')
      for (const element of block.elements)
        if (element.text.text.length > 75 || (element.value ?? '').length > 2000) problems.push('button');
  }
  return problems;
}

test('refs that look like mentions or links are escaped on every path, and long escaped text stays within Block Kit limits', async () => {
  const ref = '<!channel>';
  const title = '<https://e.x|x> <@U0ADMIN>';
  const reason = '&'.repeat(2000);
  await w.h.intake.upsertChangeOrder(ref, changeOrderBody({ number: 'MX1', title }));
  const before = w.slack.calls.length;
  await w.h.desk.send('cco', ref, PM);
  await w.h.desk.reject('cco', ref, { by: APPROVER, reason });
  const rejectionDm = () =>
    w.slack
      .callsTo('chat.postMessage')
      .some(
        (c) =>
          c.args.channel === SLACK.pm &&
          text(c.args.blocks).includes('Rejection Notification') &&
          text(c.args.blocks).includes('&lt;!channel&gt;'),
      );
  await eventually(async () => rejectionDm(), 'the rejection DM');
  await w.h.intake.upsertChangeOrder(ref, changeOrderBody({ number: 'MX1', title: 'Fixed' }));
  await w.h.desk.resend('cco', ref, PM);
  await w.h.desk.accept('cco', ref, { by: APPROVER });
  await untilStatus(w.h, 'cco', ref, 'Synced');
  await eventually(
    async () =>
      w.slack.callsTo('chat.postMessage').some((c) => c.args.channel === SLACK.pm && String(c.args.text).includes('is in the ERP now')),
    'the synced DM',
  );
  await untilNoticesDelivered();
  const status = await erp(SLACK.approver, `status cco:${ref}`);
  const history = await erp(SLACK.approver, `history cco:${ref}`);

  const calls = [...w.slack.calls.slice(before).map((c) => c.args), status, history];
  const all = calls.flatMap(mrkdwnOf).join('\n');
  expect(all).toContain('&lt;!channel&gt;');
  for (const raw of ['<!channel>', '<https://e.x|x>', '<@U0ADMIN>']) expect(all).not.toContain(raw);
  // 2,000 '&' become 10,000 characters once escaped: cut, not refused by Slack.
  for (const args of calls) expect(blockKitProblems(args)).toEqual([]);
  const dm = calls.find((args) => args.channel === SLACK.pm && text(args.blocks).includes('Rejection Notification'))!;
  expect(text(dm.blocks)).toContain('&amp;&amp;');
  expect(text(dm.blocks)).toContain('…');
  // The full reason is kept in the item's history.
  expect((await w.h.desk.view('cco', ref)).history.find((e) => e.action === 'rejected')?.reason).toBe(reason);
});

test('a request received by one bot process is a replay to every other: the signatures seen are shared through the database', async () => {
  const [first, second] = [new ReceivedInDatabase(w.h.db), new ReceivedInDatabase(w.h.db)];
  const until = Math.floor(Date.now() / 1000) + 300;
  expect(await first.firstTime('ab'.repeat(32), until)).toBe(true);
  expect(await second.firstTime('ab'.repeat(32), until)).toBe(false);
  expect(await first.firstTime('ab'.repeat(32), until)).toBe(false);
  expect(await second.firstTime('cd'.repeat(32), until)).toBe(true);
  // Once its timestamp has left the window it is no longer counted (a request that old is refused anyway).
  const remembered = await first.size();
  expect(await first.firstTime('ef'.repeat(32), Math.floor(Date.now() / 1000) - 1)).toBe(true);
  expect(await first.size()).toBe(remembered);
  expect(await w.h.db.slackRequest.count({ where: { signature: { in: ['ab'.repeat(32), 'cd'.repeat(32)] } } })).toBe(2);
});

test('a routed round in Slack: the review request lists the steps, each step is asked by DM when its turn comes, and a click out of turn is told whose turn it is', async () => {
  await putPolicy(
    w.h.db,
    'routed-slack',
    PolicyBody.parse({
      name: 'Two approvers in turn',
      appliesTo: { projects: ['P-100'], minAmount: 7000 },
      steps: [
        { name: 'Accounting', approvers: [APPROVER] },
        { name: 'Controller', approvers: [APPROVER_2] },
      ],
    }),
  );
  try {
    await w.h.intake.upsertChangeOrder('CO-RT', changeOrderBody({ number: 'RT1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 7500 }] }));
    await w.h.desk.send('cco', 'CO-RT', PM);
    const post = await reviewPost('CO-RT');
    expect(text(post.args.blocks)).toContain('waiting for step 1 of 2 (Accounting): Dana Lee');
    expect(text(post.args.blocks)).toContain('Approval policy *Two approvers in turn*');
    const askedDana = await eventually(
      async () =>
        w.slack.callsTo('chat.postMessage').find((c) => c.args.channel === SLACK.approver && text(c.args.blocks).includes('CO-RT')),
      'the first step asked',
    );
    expect(text(askedDana.args.blocks)).toContain('Your approval is needed');
    expect(text(askedDana.args.blocks)).toContain('step 1 of 2 (Accounting)');
    expect(text(askedDana.args.blocks)).toContain(`<#${APPROVERS_CHANNEL}>`);

    // The controller clicks first: told privately whose turn it is, and no modal opens.
    const ts = await messageTs('CO-RT', 1);
    const opened = w.slack.callsTo('views.open').length;
    await w.send(
      buttonClick({ user: SLACK.approver2, actionId: ACTIONS.accept, value: 'cco:CO-RT', channel: APPROVERS_CHANNEL, messageTs: ts }),
    );
    const refusal = await eventually(
      async () =>
        w.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === SLACK.approver2 && String(c.args.text).includes('CO-RT')),
      'the refusal out of turn',
    );
    expect(refusal.args.text).toContain(
      'is at step 1 of 2 (Accounting), waiting for Dana Lee: Sam Ortiz decides at step 2 (Controller), so cannot accept it yet.',
    );
    expect(w.slack.callsTo('views.open')).toHaveLength(opened);

    // Dana approves: the request says so and waits for the controller, who is asked now.
    await w.h.desk.accept('cco', 'CO-RT', { by: APPROVER });
    const updated = await messageSaying(ts, 'waiting for step 2 of 2 (Controller): Sam Ortiz');
    expect(text(updated.blocks)).toContain('approved by Dana Lee');
    expect(buttonsIn(updated.blocks)).toEqual([ACTIONS.accept, ACTIONS.reject]);
    await eventually(
      async () =>
        w.slack
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === SLACK.approver2 && text(c.args.blocks).includes('step 2 of 2 (Controller)')),
      'the second step asked',
    );
    await w.h.desk.accept('cco', 'CO-RT', { by: APPROVER_2 });
    await untilStatus(w.h, 'cco', 'CO-RT', 'Synced');
    await messageSaying(ts, 'Synced');
    await untilNoticesDelivered();
    // Each approver was asked once.
    const asked = w.slack
      .callsTo('chat.postMessage')
      .filter((c) => text(c.args.blocks).includes('Your approval is needed') && text(c.args.blocks).includes('CO-RT'));
    expect(asked.map((c) => c.args.channel)).toEqual([SLACK.approver, SLACK.approver2]);
  } finally {
    await deletePolicy(w.h.db, 'routed-slack');
  }
});

test('/erp away sends an approver’s requests to a delegate, who decides on their behalf; /erp back ends it', async () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  expect(text(await erp(SLACK.approver, 'away tomorrow'))).toContain('Write `/erp away <from> <until> @someone`');
  expect(text(await erp(SLACK.approver, `away 2020-01-01 2020-01-02 <@${SLACK.approver2}>`))).toContain('until: is in the past');
  expect(text(await erp(SLACK.approver, `away ${day(-1)} ${day(7)} <@${SLACK.pm}|pat>`))).toContain('Pat Morgan cannot decide in Dana Lee');
  // An email names the delegate too (Slack escapes it as a mailto link).
  expect(text(await erp(SLACK.approver, `away ${day(-1)} ${day(7)} <mailto:PAT@example.com|PAT@example.com>`))).toContain(
    'Pat Morgan cannot decide in Dana Lee',
  );
  expect(text(await erp(SLACK.approver, `away ${day(-1)} ${day(7)} @nobody`))).toContain("I can't find @nobody in the company directory");
  const away = await erp(SLACK.approver, `away ${day(-1)} ${day(7)} <@${SLACK.approver2}|sam>`);
  expect(text(away)).toContain('requests for your approval go to Sam Ortiz, who decides on your behalf');

  await putPolicy(
    w.h.db,
    'dana-only',
    PolicyBody.parse({
      name: 'Dana decides',
      appliesTo: { projects: ['P-100'], minAmount: 8000 },
      steps: [{ name: 'Accounting', approvers: [APPROVER] }],
    }),
  );
  try {
    await w.h.intake.upsertChangeOrder('CO-AW', changeOrderBody({ number: 'AW1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 8500 }] }));
    await w.h.desk.send('cco', 'CO-AW', PM);
    // Dana is away: Sam is asked, for her.
    const asked = await eventually(
      async () =>
        w.slack
          .callsTo('chat.postMessage')
          .find((c) => text(c.args.blocks).includes('Your approval is needed') && text(c.args.blocks).includes('CO-AW')),
      'the delegate asked',
    );
    expect(asked.args.channel).toBe(SLACK.approver2);
    expect(text(asked.args.blocks)).toContain('on behalf of Dana Lee, who is away');

    await w.h.desk.accept('cco', 'CO-AW', { by: APPROVER_2 });
    await untilStatus(w.h, 'cco', 'CO-AW', 'Synced');
    const ts = await messageTs('CO-AW', 1);
    const synced = await messageSaying(ts, 'Synced');
    expect(text(synced.blocks)).toContain('Accepted by Sam Ortiz on behalf of Dana Lee');
    expect(text(await erp(SLACK.pm, 'history CO-AW'))).toContain('accepted by Sam Ortiz on behalf of Dana Lee');
  } finally {
    await deletePolicy(w.h.db, 'dana-only');
  }
  expect(text(await erp(SLACK.approver, 'back'))).toContain('Welcome back');
  expect(text(await erp(SLACK.approver, 'back'))).toContain('You were not marked away');
});

test("a policy's own channel: its review requests go there and each step is asked in the request's thread; a channel that refuses the bot sends them to the approvers' channel, saying why", async () => {
  const PROJECT_CHANNEL = 'CPROJ100';
  const policy = (slackChannel: string) =>
    PolicyBody.parse({
      name: 'P-100 in its channel',
      appliesTo: { projects: ['P-100'], minAmount: 9000 },
      steps: [
        { name: 'Accounting', approvers: [APPROVER] },
        { name: 'Controller', approvers: [APPROVER_2] },
      ],
      slackChannel,
    });
  const inThread = (channel: string, ts: string, fragment: string) =>
    w.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel && c.args.thread_ts === ts && text(c.args.blocks).includes(fragment));
  await putPolicy(w.h.db, 'own-channel', policy(PROJECT_CHANNEL));
  try {
    await w.h.intake.upsertChangeOrder('CO-PC', changeOrderBody({ number: 'PC1', lines: [{ lineNo: 1, sovLineNo: 1, amount: 9500 }] }));
    await w.h.desk.send('cco', 'CO-PC', PM);
    const ts = await messageTs('CO-PC', 1);
    const posted = w.slack.callsTo('chat.postMessage').filter((c) => text(c.args.blocks).includes(' CO-PC · '));
    expect(posted.map((c) => c.args.channel)).toEqual([PROJECT_CHANNEL]);
    // Dana is mentioned in the thread, not sent a direct message.
    const first = await eventually(async () => inThread(PROJECT_CHANNEL, ts, 'step 1 of 2 (Accounting)')[0], 'step 1 asked in the thread');
    expect(text(first.args.blocks)).toContain(`<@${SLACK.approver}>: your approval is needed`);

    await w.h.desk.accept('cco', 'CO-PC', { by: APPROVER });
    const second = await eventually(async () => inThread(PROJECT_CHANNEL, ts, 'step 2 of 2 (Controller)')[0], 'step 2 asked in the thread');
    expect(text(second.args.blocks)).toContain(`<@${SLACK.approver2}>: your approval is needed`);
    await w.h.desk.accept('cco', 'CO-PC', { by: APPROVER_2 });
    await untilStatus(w.h, 'cco', 'CO-PC', 'Synced');
    const synced = await messageSaying(ts, 'Synced');
    expect(synced.channel).toBe(PROJECT_CHANNEL);
    await untilNoticesDelivered();
    const directs = w.slack
      .callsTo('chat.postMessage')
      .filter((c) => [SLACK.approver, SLACK.approver2].includes(c.args.channel) && text(c.args.blocks).includes('CO-PC'));
    expect(directs).toHaveLength(0);
    expect(inThread(PROJECT_CHANNEL, ts, 'your approval is needed')).toHaveLength(2);

    // The bot was never invited to this one: the request goes to the approvers' channel, with why, and Dana gets a DM.
    w.slack.refuseChannel('CNOTINVITED', 'not_in_channel');
    await putPolicy(w.h.db, 'own-channel', policy('CNOTINVITED'));
    await w.h.intake.upsertChangeOrder('CO-PC2', changeOrderBody({ number: 'PC2', lines: [{ lineNo: 1, sovLineNo: 1, amount: 9500 }] }));
    await w.h.desk.send('cco', 'CO-PC2', PM);
    const fallback = await reviewPost('CO-PC2');
    const ts2 = await messageTs('CO-PC2', 1);
    expect(fallback.args.channel).toBe(APPROVERS_CHANNEL);
    const note = await eventually(async () => inThread(APPROVERS_CHANNEL, ts2, 'not_in_channel')[0], 'the note in the thread');
    expect(text(note.args.blocks)).toContain('<#CNOTINVITED>');
    await eventually(
      async () =>
        w.slack
          .callsTo('chat.postMessage')
          .find(
            (c) =>
              c.args.channel === SLACK.approver && text(c.args.blocks).includes('CO-PC2') && text(c.args.blocks).includes('step 1 of 2'),
          ),
      'Dana asked directly',
    );
    await w.h.desk.retrieve('cco', 'CO-PC2', { by: PM });
  } finally {
    await deletePolicy(w.h.db, 'own-channel');
  }
});
