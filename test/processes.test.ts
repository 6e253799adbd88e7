/**
 * Production layout: a worker process and a bot process (with the API beside it), started from their
 * own entry points, cooperating through one Temporal dev server and one database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ACTIONS } from '../bot/views/buttons';
import { MODALS } from '../bot/views/modals';
import { startFakeSlack, type FakeSlack } from './support/fake-slack';
import { eventually, freshDatabaseUrl, startTestTemporal } from './support/harness';
import { freePort, runEntry, type Running } from './support/processes';
import { SIGNING_SECRET, buttonClick, modalSubmit, sendSigned, slashCommand } from './support/slack-requests';

const TOKEN = 'processes-test-token-0123';
let temporal: TestWorkflowEnvironment;
let slack: FakeSlack;
let dir: string;
const running: Running[] = [];

beforeAll(async () => {
  temporal = await startTestTemporal();
  slack = await startFakeSlack([
    { id: 'UPAT', email: 'pat@example.com' },
    { id: 'UDANA', email: 'dana@example.com' },
  ]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-processes-'));
});

afterAll(async () => {
  for (const process of running) process.child.kill('SIGTERM');
  await Promise.all(running.map((p) => p.exited));
  await slack?.close();
  await temporal?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the worker and the bot run as separate processes and carry an item from /erp send to Synced', async () => {
  const port = await freePort();
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'erp-processes-test',
    DATABASE_URL: await freshDatabaseUrl(),
    PORT: String(port),
    API_TOKEN: TOKEN,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APPROVERS_CHANNEL: 'C-ACCOUNTING',
    SLACK_API_URL: slack.apiUrl,
    COMPANY_NAME: 'Acme Builders',
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
  };
  const worker = runEntry('worker', env);
  const bot = runEntry('bot', env);
  running.push(worker, bot);
  await worker.waitFor('Worker polling task queue "erp-processes-test"');
  await bot.waitFor(`Slack bot listening on http://127.0.0.1:${port}/slack/events`);

  const api = (method: string, route: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect(
    (
      await api('PUT', '/users/pm', {
        name: 'Pat Morgan',
        email: 'pat@example.com',
        permissions: [{ tool: 'Admin', level: 'Admin', project: 'P-1' }],
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await api('PUT', '/users/acct', {
        name: 'Dana Lee',
        email: 'dana@example.com',
        canPushToAccounting: true,
        permissions: [{ tool: 'ErpIntegrations', level: 'Standard' }],
      })
    ).status,
  ).toBe(200);
  expect((await api('PUT', '/projects/P-1', { name: 'Riverside Clinic', number: 'RC-24', createdBy: 'pm' })).status).toBe(200);

  const events = `http://127.0.0.1:${port}/slack/events`;
  await sendSigned(events, slashCommand({ user: 'UPAT', text: 'send P-1', responseUrl: slack.responseUrl('send') }));
  const answer = await eventually(async () => slack.responses.find((r) => r.url.endsWith('/send')), 'the answer to /erp send');
  expect(answer.body.text).toContain('P-1 is with accounting now');

  // The worker process posts the review request; the bot process handles the click and the modal.
  const post = await eventually(
    async () => slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C-ACCOUNTING'),
    'the review request',
  );
  expect(JSON.stringify(post.args.blocks)).toContain(ACTIONS.accept);
  await sendSigned(
    events,
    buttonClick({ user: 'UDANA', actionId: ACTIONS.accept, value: 'project:P-1', channel: 'C-ACCOUNTING', messageTs: '1.1' }),
  );
  const modal = await eventually(
    async () => slack.callsTo('views.open').find((c) => c.args.view.callback_id === MODALS.accept),
    'the accept modal',
  );
  await sendSigned(
    events,
    modalSubmit({
      user: 'UDANA',
      callbackId: MODALS.accept,
      privateMetadata: modal.args.view.private_metadata,
      values: { description: '' },
    }),
  );

  const synced = await eventually(
    async () => slack.callsTo('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('Synced')),
    'the message to say Synced',
  );
  expect(JSON.stringify(synced.args.blocks)).toContain('SBX-00001');
  const item = await fetch(`http://127.0.0.1:${port}/api/v1/items/project/P-1`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
    (r) => r.json() as Promise<Record<string, any>>,
  );
  expect(item.erp).toMatchObject({ status: 'Synced', erpId: 'SBX-00001' });
  expect(item.history.map((e: { action: string }) => e.action)).toEqual(['sent', 'accepted', 'exported']);
});
