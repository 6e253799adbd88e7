/**
 * The parts of a process that answer HTTP: the API and the Slack bot. Kept apart from the worker's
 * parts so a worker process does not load Express and Bolt.
 */
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApi, type HealthCheck } from '../api/app';
import { createSlackBot, slackRequestGuard, SLACK_EVENTS_PATH, type SlackBot } from '../bot/app';
import { ReceivedInDatabase } from '../bot/received-requests';
import { SlackDirectory } from '../bot/directory';
import { ApprovalDesk, DEFAULT_EXPORT_POLICY } from '../services/approval-desk';
import { Intake } from '../store/intake';
import { ping, type Db } from '../store/prisma';
import { erpSetup, erpTransport, slackClient } from './components';
import { slackConfigured, type Config } from './config';

export function approvalDesk(config: Config, db: Db, client: Client): ApprovalDesk {
  return new ApprovalDesk({
    db,
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...erpSetup(config),
    exportPolicy: DEFAULT_EXPORT_POLICY,
    transport: erpTransport(config, db),
  });
}

export function slackBot(config: Config, db: Db, client: Client): SlackBot | undefined {
  if (!slackConfigured(config)) return undefined;
  return createSlackBot(
    {
      botToken: config.SLACK_BOT_TOKEN as string,
      signingSecret: config.SLACK_SIGNING_SECRET ?? '',
      appToken: config.SLACK_APP_TOKEN,
      slackApiUrl: config.SLACK_API_URL,
    },
    { db, desk: approvalDesk(config, db, client), directory: new SlackDirectory(db, slackClient(config)) },
  );
}

export function healthChecks(db: Db, client: Client): HealthCheck[] {
  return [
    { name: 'database', check: () => ping(db) },
    { name: 'temporal', check: async () => void (await client.connection.workflowService.getSystemInfo({})) },
  ];
}

/** The HTTP server on PORT: the API (when it has a token) and Slack's /slack/events (when the bot uses HTTP). */
export async function listenHttp(config: Config, db: Db, client: Client, apiToken: string, bot?: SlackBot): Promise<Server> {
  const app = createApi({
    db,
    desk: approvalDesk(config, db, client),
    intake: new Intake(db),
    apiToken,
    health: healthChecks(db, client),
    slackConfigured: slackConfigured(config),
    mount: (server) => {
      if (!bot?.receiver) return;
      // Replays are recognised across every bot process: the signatures seen are kept in the database.
      server.use(
        SLACK_EVENTS_PATH,
        slackRequestGuard({ signingSecret: config.SLACK_SIGNING_SECRET ?? '', received: new ReceivedInDatabase(db) }),
      );
      server.use(bot.receiver.router);
    },
  });
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

export const SLACK_SETUP_HINT =
  'Slack is not connected: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APPROVERS_CHANNEL (or SLACK_APP_TOKEN for Socket Mode); see "Connecting Slack" in the README.';
