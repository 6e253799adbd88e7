/** Builds the parts every process shares from the configuration, so each is wired one way. */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { WebClient } from '@slack/web-api';
import { RecordingNotifier, type Notifier } from '../activities/notifier';
import { createApi, type HealthCheck } from '../api/app';
import { createSlackBot, replayGuard, SLACK_EVENTS_PATH, type SlackBot } from '../bot/app';
import { SlackDirectory } from '../bot/directory';
import { SlackNotifier } from '../bot/notifier';
import { HttpErp } from '../connectors/http';
import { SandboxErp } from '../connectors/sandbox';
import type { ErpTransport } from '../connectors/transport';
import { erpProfile, type ErpProfile, type ErpSettings } from '../domain/erp-profiles';
import { ApprovalDesk, DEFAULT_EXPORT_POLICY } from '../services/approval-desk';
import { Intake } from '../services/intake';
import type { Db } from '../store/prisma';
import { slackConfigured, type Config } from './config';

export function erpTransport(config: Config, db: Db): ErpTransport {
  if (config.ERP_CONNECTOR === 'http') return new HttpErp(config.ERP_HTTP_URL as string, config.ERP_HTTP_SECRET as string);
  return new SandboxErp(db);
}

export function erpSetup(config: Config): { profile: ErpProfile; settings: ErpSettings } {
  return { profile: erpProfile(config.ERP_PROFILE), settings: { erpIdFromChangeOrderNumber: config.ERP_ID_FROM_CHANGE_ORDER_NUMBER } };
}

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? 'localhost:7233';
}

/** Address, mTLS and API key for connections to a Temporal cluster or Temporal Cloud. */
export function temporalConnection(config: Config, address = temporalAddress(config)) {
  const tls = config.TEMPORAL_TLS_CERT
    ? { clientCertPair: { crt: fs.readFileSync(config.TEMPORAL_TLS_CERT), key: fs.readFileSync(config.TEMPORAL_TLS_KEY as string) } }
    : config.TEMPORAL_API_KEY
      ? true
      : undefined;
  return { address, ...(tls ? { tls } : {}), ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}) };
}

export function slackClient(config: Config): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: config.SLACK_API_URL });
}

/** Slack delivery when Slack is configured; otherwise notices are only recorded. */
export function notifier(config: Config, db: Db): Notifier {
  const record = new RecordingNotifier(db);
  if (!slackConfigured(config)) return record;
  const client = slackClient(config);
  return new SlackNotifier({
    db,
    client,
    directory: new SlackDirectory(db, client),
    approversChannel: config.SLACK_APPROVERS_CHANNEL as string,
    companyName: config.COMPANY_NAME,
    record,
  });
}

export function approvalDesk(config: Config, db: Db, client: Client): ApprovalDesk {
  return new ApprovalDesk({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE, ...erpSetup(config), exportPolicy: DEFAULT_EXPORT_POLICY });
}

export function slackBot(config: Config, db: Db, client: Client): SlackBot | undefined {
  if (!slackConfigured(config)) return undefined;
  return createSlackBot(
    { botToken: config.SLACK_BOT_TOKEN as string, signingSecret: config.SLACK_SIGNING_SECRET ?? '', appToken: config.SLACK_APP_TOKEN, slackApiUrl: config.SLACK_API_URL },
    { db, desk: approvalDesk(config, db, client), directory: new SlackDirectory(db, slackClient(config)) },
  );
}

export function healthChecks(db: Db, client: Client): HealthCheck[] {
  return [
    { name: 'database', check: async () => void (await db.$queryRawUnsafe('SELECT 1')) },
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
    mount: (server) => {
      if (!bot?.receiver) return;
      server.use(SLACK_EVENTS_PATH, replayGuard());
      server.use(bot.receiver.router);
    },
  });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

export const SLACK_SETUP_HINT =
  'Slack is not connected: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APPROVERS_CHANNEL (or SLACK_APP_TOKEN for Socket Mode); see "Connecting Slack" in the README.';
