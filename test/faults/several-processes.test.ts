/**
 * The deployment an IT team runs beside its Temporal cluster: two workers, the Slack bot and the API,
 * each its own process, sharing nothing but TEMPORAL_ADDRESS and DATABASE_URL. 200 items go from the
 * API's send through a Slack accept to Synced: each exported once, and both workers take part.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { approvalWorkflowId } from '../../domain/item-types';
import { ACTIONS } from '../../bot/views/buttons';
import { MODALS } from '../../bot/views/modals';
import { createDb, type Db } from '../../store/prisma';
import { freshDatabaseUrl } from '../support/databases';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack';
import { eventually, startTestTemporal } from '../support/harness';
import { freePort, runEntry, type Running } from '../support/processes';
import { SIGNING_SECRET, buttonClick, modalSubmit, sendSigned } from '../support/slack-requests';

const TOKEN = 'several-processes-token-0123';
const ITEMS = 200;
let temporal: TestWorkflowEnvironment;
let slack: FakeSlack;
let db: Db;
const running: Running[] = [];

beforeAll(async () => {
  temporal = await startTestTemporal();
  slack = await startFakeSlack([
    { id: 'UPAT', email: 'pat@example.com' },
    { id: 'UDANA', email: 'dana@example.com' },
  ]);
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await db?.$disconnect();
  await slack?.close();
  await temporal?.teardown();
});

/** Runs `work` on every element, `width` at a time. */
async function inBatches<T>(list: T[], width: number, work: (element: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < list.length; i += width) await Promise.all(list.slice(i, i + width).map(work));
}

test('two workers, the bot and the API as separate processes carry 200 items to Synced, one export each', async () => {
  const [apiPort, botPort] = [await freePort(), await freePort()];
  const shared = { TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: await freshDatabaseUrl(), TEMPORAL_TASK_QUEUE: 'erp-several' };
  const slackEnv = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APPROVERS_CHANNEL: 'C-ACCOUNTING',
    SLACK_API_URL: slack.apiUrl,
  };
  const workers = [1, 2].map(() => runEntry('worker', { ...shared, ...slackEnv, WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE }));
  const bot = runEntry('bot', { ...shared, ...slackEnv, PORT: String(botPort) });
  const api = runEntry('api', { ...shared, API_TOKEN: TOKEN, PORT: String(apiPort) });
  running.push(...workers, bot, api);
  for (const worker of workers) await worker.waitFor('Worker polling task queue "erp-several"');
  await bot.waitFor('Slack bot listening');
  await api.waitFor('API listening');
  db = createDb(shared.DATABASE_URL);

  const call = async (method: string, route: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${apiPort}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  };
  await call('PUT', '/users/pm', { name: 'Pat Morgan', email: 'pat@example.com', permissions: [{ tool: 'Admin', level: 'Admin' }] });
  await call('PUT', '/users/acct', {
    name: 'Dana Lee',
    email: 'dana@example.com',
    canPushToAccounting: true,
    permissions: [{ tool: 'ErpIntegrations', level: 'Standard' }],
  });
  const refs = Array.from({ length: ITEMS }, (_, i) => `P-${i + 1}`);
  await inBatches(refs, 20, (ref) => call('PUT', `/projects/${ref}`, { name: `Project ${ref}`, number: ref, createdBy: 'pm' }));
  await inBatches(refs, 20, (ref) => call('POST', `/items/project/${ref}/send`, { by: 'pm' }));

  // Accepted in Slack: the click opens the modal, the submission decides.
  const events = `http://127.0.0.1:${botPort}/slack/events`;
  await inBatches(refs, 10, async (ref) => {
    await sendSigned(
      events,
      buttonClick({ user: 'UDANA', actionId: ACTIONS.accept, value: `project:${ref}`, channel: 'C-ACCOUNTING', messageTs: '1.1' }),
    );
    const modal = await eventually(
      async () =>
        slack
          .callsTo('views.open')
          .find((c) => c.args.view.callback_id === MODALS.accept && String(c.args.view.private_metadata).includes(`"${ref}"`)),
      `the accept modal of ${ref}`,
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
  });

  await eventually(async () => (await db.erpRecord.count({ where: { status: 'Synced' } })) === ITEMS, 'all 200 items Synced', 180_000);
  const records = await db.erpRecord.findMany({ include: { history: { orderBy: { id: 'asc' } } } });
  for (const record of records) expect(record.history.map((entry) => entry.action)).toEqual(['send', 'accept', 'exported']);
  const exports = await db.sandboxExport.findMany({ select: { itemRef: true, calls: true } });
  expect(exports.map((e) => e.itemRef).sort()).toEqual([...refs].sort());
  expect(exports.every((e) => e.calls === 1)).toBe(true);

  // Both workers ran rounds: the identities that completed workflow tasks.
  const identities = new Set<string>();
  for (const ref of refs.slice(0, 40)) {
    const history = await temporal.client.workflow.getHandle(approvalWorkflowId('project', ref)).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  const pids = workers.map((worker) => String(worker.child.pid));
  expect(pids.filter((pid) => [...identities].some((identity) => identity.startsWith(`${pid}@`)))).toEqual(pids);
});
