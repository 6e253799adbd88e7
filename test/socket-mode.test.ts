/**
 * The bot over Socket Mode (SLACK_APP_TOKEN), against a local stand-in of Slack's WebSocket: the
 * same reject → direct message → re-send → accept story as over HTTP, every envelope acknowledged
 * by its id, and a dropped connection that comes back without losing a click.
 */
import { WebClient } from '@slack/web-api';
import { createSlackBot, type SlackBot } from '../bot/app';
import { SlackDirectory } from '../bot/directory';
import { SlackNotifier } from '../bot/notifier';
import { MODALS } from '../bot/views/modals';
import { ACTIONS } from '../bot/views/buttons';
import { RecordingNotifier } from '../store/notifications';
import { changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually, startHarness, TEST_RULES, type Harness } from './support/harness';
import { startFakeSlack, type FakeSlack } from './support/fake-slack';
import { startFakeSocketMode } from './support/fake-socket-mode';
import { buttonClick, modalSubmit, slashCommand } from './support/slack-requests';

const CHANNEL = 'C-APPROVERS';
const PM = 'UPM';
const DANA = 'UDANA';

let slack: FakeSlack;
let socket: Awaited<ReturnType<typeof startFakeSocketMode>>;
let h: Harness;
let bot: SlackBot;

beforeAll(async () => {
  slack = await startFakeSlack([
    { id: PM, email: 'pat@example.com' },
    { id: DANA, email: 'dana@example.com' },
  ]);
  socket = await startFakeSocketMode();
  slack.useSocketMode(socket.url);
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 3, minTimeout: 100, maxTimeout: 1_000 } });
  h = await startHarness({
    notifier: (db) =>
      new SlackNotifier({
        db,
        client,
        directory: new SlackDirectory(db, client),
        approversChannel: CHANNEL,
        companyName: 'Acme Builders',
        rules: TEST_RULES,
        record: new RecordingNotifier(db),
      }),
  });
  await companyWithSyncedCommitment(h);
  bot = createSlackBot(
    { botToken: 'xoxb-test', signingSecret: '', appToken: 'xapp-test', slackApiUrl: slack.apiUrl },
    { db: h.db, desk: h.desk, directory: new SlackDirectory(h.db, client) },
  );
  expect(bot.receiver).toBeUndefined();
  await bot.app.start();
});

afterAll(async () => {
  await bot?.app.stop();
  await socket?.close();
  await h?.stop();
  await slack?.close();
});

const text = (value: unknown) => JSON.stringify(value ?? null);

async function command(user: string, line: string) {
  const id = `s${Math.random().toString(36).slice(2)}`;
  const ack = await socket.send(slashCommand({ user, text: line, responseUrl: slack.responseUrl(id) }));
  const answer = await eventually(async () => slack.responses.find((r) => r.url.endsWith(`/${id}`)), `the answer to /erp ${line}`);
  return { ack, answer: answer.body };
}

async function modal(callbackId: string, after: number) {
  return eventually(
    async () =>
      slack
        .callsTo('views.open')
        .slice(after)
        .find((c) => c.args.view.callback_id === callbackId),
    `the ${callbackId} modal`,
  );
}

async function reviewTs(ref: string, round: number): Promise<string> {
  return eventually(
    async () => (await h.db.slackMessage.findFirst({ where: { round, erpRecord: { itemRef: ref } } }))?.ts,
    `the review request of ${ref} round ${round}`,
  );
}

test('over Socket Mode: reject → direct message → re-send → accept → Synced, each envelope acknowledged by its id', async () => {
  expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
  await h.intake.upsertChangeOrder('CO-WS1', changeOrderBody({ number: 'WS1' }));

  const sent = await command(PM, 'send CO-WS1');
  expect(sent.ack.envelope_id).toMatch(/^env-/);
  expect(sent.answer.text).toContain('CO-WS1 is with accounting now');
  const ts = await reviewTs('CO-WS1', 1);

  // Reject: the modal's validation comes back in the acknowledgement, as Slack expects over the socket.
  const before = slack.callsTo('views.open').length;
  await socket.send(buttonClick({ user: DANA, actionId: ACTIONS.reject, value: 'cco:CO-WS1', channel: CHANNEL, messageTs: ts }));
  const rejectModal = await modal(MODALS.reject, before);
  const metadata = rejectModal.args.view.private_metadata;
  const blank = await socket.send(
    modalSubmit({ user: DANA, callbackId: MODALS.reject, privateMetadata: metadata, values: { reason: ' ' } }),
  );
  expect(blank.payload).toEqual({ response_action: 'errors', errors: { reason: 'A reason is required: tell the creator what to fix.' } });
  expect((await h.desk.view('cco', 'CO-WS1')).erp.status).toBe('ReadyToExport');
  await socket.send(
    modalSubmit({ user: DANA, callbackId: MODALS.reject, privateMetadata: metadata, values: { reason: 'Split the labor out' } }),
  );
  await untilStatus(h, 'cco', 'CO-WS1', 'Rejected');

  // The creator's direct message, with the re-send button.
  const dm = await eventually(
    async () =>
      slack.callsTo('chat.postMessage').find((c) => c.args.channel === PM && text(c.args.blocks).includes('Rejection Notification')),
    'the rejection DM',
  );
  expect(text(dm.args.blocks)).toContain('Split the labor out');
  await socket.send(buttonClick({ user: PM, actionId: ACTIONS.resend, value: 'cco:CO-WS1', channel: `D${PM}`, messageTs: '1.1' }));
  await untilStatus(h, 'cco', 'CO-WS1', 'ReadyToExport');
  const ts2 = await reviewTs('CO-WS1', 2);

  const beforeAccept = slack.callsTo('views.open').length;
  await socket.send(buttonClick({ user: DANA, actionId: ACTIONS.accept, value: 'cco:CO-WS1', channel: CHANNEL, messageTs: ts2 }));
  const acceptModal = await modal(MODALS.accept, beforeAccept);
  expect(acceptModal.args.view.submit.text).toBe('Export');
  await socket.send(
    modalSubmit({
      user: DANA,
      callbackId: MODALS.accept,
      privateMetadata: acceptModal.args.view.private_metadata,
      values: { description: '' },
    }),
  );
  const synced = await untilStatus(h, 'cco', 'CO-WS1', 'Synced');
  expect(synced.history.map((entry) => entry.transition)).toEqual(['send', 'reject', 'resend', 'accept', 'exported']);
  // Every envelope sent was acknowledged, once.
  const ids = socket.acks.map((ack) => ack.envelope_id);
  expect(new Set(ids).size).toBe(ids.length);
});

test('a dropped connection comes back, and the click Slack sent again meanwhile is handled once', async () => {
  await h.intake.upsertChangeOrder('CO-WS2', changeOrderBody({ number: 'WS2' }));
  await h.desk.send('cco', 'CO-WS2', 'u-pm');
  const ts = await reviewTs('CO-WS2', 1);
  const opened = slack.callsTo('apps.connections.open').length;
  const connections = socket.connections();

  // The network drops; Dana's click reaches Slack while the app is away.
  socket.drop();
  const before = slack.callsTo('views.open').length;
  const clicked = socket.send(buttonClick({ user: DANA, actionId: ACTIONS.accept, value: 'cco:CO-WS2', channel: CHANNEL, messageTs: ts }));

  // The app asks for a new URL, connects again, and gets the click (marked as a retry), and acknowledges it.
  const ack = await clicked;
  expect(ack.envelope_id).toMatch(/^env-/);
  expect(socket.connections()).toBe(connections + 1);
  expect(slack.callsTo('apps.connections.open').length).toBeGreaterThan(opened);
  const acceptModal = await modal(MODALS.accept, before);
  await socket.send(
    modalSubmit({
      user: DANA,
      callbackId: MODALS.accept,
      privateMetadata: acceptModal.args.view.private_metadata,
      values: { description: 'after the drop' },
    }),
  );
  await untilStatus(h, 'cco', 'CO-WS2', 'Synced');
  expect(
    slack
      .callsTo('views.open')
      .slice(before)
      .filter((c) => c.args.view.callback_id === MODALS.accept),
  ).toHaveLength(1);
});

test('an envelope Slack sends again after its acknowledgement was lost is acknowledged and not handled twice', async () => {
  await h.intake.upsertChangeOrder('CO-WS3', changeOrderBody({ number: 'WS3' }));
  const request = slashCommand({ user: PM, text: 'send CO-WS3', responseUrl: slack.responseUrl('ws3') });
  await socket.send(request);
  await untilStatus(h, 'cco', 'CO-WS3', 'ReadyToExport');
  const answers = () => slack.responses.filter((r) => r.url.endsWith('/ws3')).length;
  await eventually(async () => answers() === 1, 'the first answer');
  // The same envelope again (Slack did not see the first acknowledgement): acknowledged, nothing done.
  const again = await socket.send(request);
  expect(again.envelope_id).toMatch(/^env-/);
  await h.intake.upsertChangeOrder('CO-WS4', changeOrderBody({ number: 'WS4' }));
  await command(PM, 'send CO-WS4');
  expect(answers()).toBe(1);
  const view = await h.desk.view('cco', 'CO-WS3');
  expect(view.history.map((entry) => entry.transition)).toEqual(['send']);
});
