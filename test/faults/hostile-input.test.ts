/**
 * Bad input at every door: random and hostile bodies at the API, random Slack payloads at
 * /slack/events. Only 4xx answers (or 200 for what Slack may legitimately send), never a 5xx, and
 * nothing changes in the database for a refused request.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';
import fc from 'fast-check';
import { createApi } from '../../api/app';
import { createSlackBot, slackRequestGuard, SLACK_EVENTS_PATH } from '../../bot/app';
import { SlackDirectory } from '../../bot/directory';
import { WebClient } from '@slack/web-api';
import { PM, changeOrderBody, commitmentBody, seedCompany } from '../support/fixtures';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack';
import { startHarness, type Harness } from '../support/harness';
import { SIGNING_SECRET, interaction, sendSigned } from '../support/slack-requests';

const TOKEN = 'hostile-input-token-0123456789';
let h: Harness;
let slack: FakeSlack;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  slack = await startFakeSlack();
  await seedCompany(h.intake);
  await h.intake.upsertCommitment('SC-001', commitmentBody());
  await h.intake.upsertChangeOrder('CO-001', changeOrderBody());
  await h.desk.send('project', 'P-100', PM);
  const bot = createSlackBot(
    { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, slackApiUrl: slack.apiUrl },
    { db: h.db, desk: h.desk, directory: new SlackDirectory(h.db, new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl })) },
  );
  const app = createApi({
    db: h.db,
    desk: h.desk,
    intake: h.intake,
    apiToken: TOKEN,
    health: [],
    mount: (api: express.Express) => {
      api.use(SLACK_EVENTS_PATH, slackRequestGuard({ signingSecret: SIGNING_SECRET }));
      api.use(bot.receiver!.router);
    },
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await slack?.close();
  await h?.stop();
});

/** Every row of every table, to prove a refused request wrote nothing. */
async function snapshot(): Promise<string> {
  const db = h.db;
  const tables = await Promise.all([
    db.user.findMany({ include: { permissions: true }, orderBy: { id: 'asc' } }),
    db.vendor.findMany({ orderBy: { id: 'asc' } }),
    db.costCode.findMany({ orderBy: { code: 'asc' } }),
    db.project.findMany({ orderBy: { ref: 'asc' } }),
    db.commitment.findMany({ include: { sovLines: true }, orderBy: { ref: 'asc' } }),
    db.changeOrder.findMany({ include: { lines: true }, orderBy: { ref: 'asc' } }),
    db.erpRecord.findMany({ orderBy: { id: 'asc' } }),
    db.historyEntry.count(),
  ]);
  return JSON.stringify(tables, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    "'; DROP TABLE User; --",
    '<!channel>',
    '\u0000',
    'x'.repeat(5000),
    '%00',
    '{{7*7}}',
    'CO-001',
  ),
);
const ROUTES = ['users', 'vendors', 'cost-codes', 'projects', 'commitments', 'change-orders'];

test('random and hostile bodies at every intake route: 4xx with a message, never 5xx, nothing written', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ROUTES),
      hostileString,
      fc.oneof(fc.anything(), fc.jsonValue(), fc.string()),
      async (route, ref, body) => {
        const before = await snapshot();
        const response = await fetch(`${base}/api/v1/${route}/${encodeURIComponent(ref) || 'x'}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : (JSON.stringify(body) ?? 'null'),
        });
        const answer = (await response.json()) as { error?: string; message?: string };
        if (response.status >= 400) {
          expect(response.status).toBeLessThan(500);
          expect(answer.error).toEqual(expect.any(String));
          expect(answer.message).toEqual(expect.any(String));
          expect(await snapshot()).toBe(before);
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('random actions on random items by random users: 4xx with a message, never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('project', 'commitment', 'cco', 'invoice', ''),
      fc.oneof(fc.constantFrom('P-100', 'SC-001', 'CO-001'), hostileString),
      fc.constantFrom('send', 'resend', 'retrieve', 'accept', 'reject', 'retry-export', 'delete'),
      fc.oneof(
        fc.record({ by: fc.oneof(fc.constantFrom('u-pm', 'u-engineer', 'nobody'), hostileString), reason: fc.option(hostileString) }),
        fc.anything(),
      ),
      async (type, ref, action, body) => {
        const before = await snapshot();
        const response = await fetch(`${base}/api/v1/items/${type || 'x'}/${encodeURIComponent(ref) || 'x'}/${action}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body) ?? 'null',
        });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(((await response.json()) as { message?: string }).message).toEqual(expect.any(String));
          expect(await snapshot()).toBe(before);
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('random payloads at /slack/events: forged ones 401, signed ones never 5xx, nothing decided', async () => {
  const statusBefore = await h.db.erpRecord.findMany({ select: { itemRef: true, status: true }, orderBy: { id: 'asc' } });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.record({
          type: fc.constantFrom('block_actions', 'view_submission', 'shortcut', 'view_closed', 'nonsense'),
          user: fc.anything(),
          actions: fc.anything(),
          view: fc.anything(),
        }),
        fc.dictionary(fc.string(), fc.jsonValue()),
      ),
      fc.boolean(),
      async (payload, signed) => {
        const request = interaction(payload);
        const answer = await sendSigned(`${base}${SLACK_EVENTS_PATH}`, request, signed ? {} : { secret: 'forged' });
        if (!signed) expect(answer.status).toBe(401);
        expect(answer.status).toBeLessThan(500);
      },
    ),
    { numRuns: 40 },
  );
  expect(await h.db.erpRecord.findMany({ select: { itemRef: true, status: true }, orderBy: { id: 'asc' } })).toEqual(statusBefore);
});
