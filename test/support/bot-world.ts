/**
 * The whole product as Slack sees it: the engine (dev server, SQLite, worker) with Slack delivery,
 * the real Bolt app behind /slack/events on a local port, and a stand-in Slack Web API.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WebClient } from '@slack/web-api';
import { RecordingNotifier } from '../../store/notifications';
import { createSlackBot, slackRequestGuard, SLACK_EVENTS_PATH } from '../../bot/app';
import { ReceivedInDatabase } from '../../bot/received-requests';
import { SlackDirectory } from '../../bot/directory';
import { SlackNotifier } from '../../bot/notifier';
import { APPROVER, APPROVER_2, ENGINEER, PM } from './fixtures';
import { startFakeSlack, type FakeSlack } from './fake-slack';
import { startHarness, TEST_RULES, type Harness, type HarnessOptions } from './harness';
import { SIGNING_SECRET, sendSigned, type SendOptions, type SignedRequest } from './slack-requests';

export const APPROVERS_CHANNEL = 'C-APPROVERS';
/** Slack ids of the fixture people (matched to the directory by email). */
export const SLACK = { pm: 'UPM', approver: 'UDANA', approver2: 'USAM', engineer: 'UELI', stranger: 'USTRANGER' } as const;

export interface BotWorld {
  h: Harness;
  slack: FakeSlack;
  url: string;
  /** How many verified requests the guard remembers. */
  remembered(): Promise<number>;
  send(request: SignedRequest, options?: SendOptions): ReturnType<typeof sendSigned>;
  stop(): Promise<void>;
}

export async function startBotWorld(options: Pick<HarnessOptions, 'timeSkipping'> = {}): Promise<BotWorld> {
  const slack = await startFakeSlack([
    { id: SLACK.pm, email: 'pat@example.com' },
    { id: SLACK.approver, email: 'dana@example.com' },
    // Slack's profile may spell the address in another case than the directory does.
    { id: SLACK.approver2, email: 'Sam@Example.com' },
    { id: SLACK.engineer, email: 'eli@example.com' },
    { id: SLACK.stranger, email: 'stranger@elsewhere.com' },
  ]);
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 3, minTimeout: 100, maxTimeout: 1_500 } });
  const h = await startHarness({
    ...options,
    notifier: (db) =>
      new SlackNotifier({
        db,
        client,
        directory: new SlackDirectory(db, client),
        approversChannel: APPROVERS_CHANNEL,
        companyName: 'Acme Builders',
        rules: TEST_RULES,
        record: new RecordingNotifier(db),
      }),
  });
  const bot = createSlackBot(
    { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, slackApiUrl: slack.apiUrl },
    { db: h.db, desk: h.desk, directory: new SlackDirectory(h.db, new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl })) },
  );
  const app = express();
  // As production runs it: the signatures seen are kept in the database.
  const guard = slackRequestGuard({ signingSecret: SIGNING_SECRET, received: new ReceivedInDatabase(h.db) });
  app.use(SLACK_EVENTS_PATH, guard);
  app.use(bot.receiver!.router);
  const server: Server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`;
  return {
    h,
    slack,
    url,
    remembered: () => guard.remembered(),
    send: (request, options) => sendSigned(url, request, options),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await h.stop();
      await slack.close();
    },
  };
}

export { APPROVER, APPROVER_2, ENGINEER, PM };
