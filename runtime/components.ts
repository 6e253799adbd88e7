/** Builds the parts every process shares from the configuration, so each is wired one way. */
import fs from 'node:fs';
import { WebClient } from '@slack/web-api';
import type { Notifier } from '../activities/types';
import { RecordingNotifier } from '../store/notifications';
import { SlackDirectory } from '../bot/directory';
import { SlackNotifier } from '../bot/notifier';
import { EmailNotifier, smtpMailer } from '../email/notifier';
import { HttpErp } from '../connectors/http';
import { SandboxErp } from '../connectors/sandbox';
import type { ErpTransport } from '../connectors/transport';
import { erpProfile } from '../domain/erp-profiles';
import type { ItemRules } from '../services/item-view';
import type { Db } from '../store/prisma';
import { companyTimeZone, slackConfigured, type Config } from './config';

export function erpTransport(config: Config, db: Db): ErpTransport {
  if (config.ERP_CONNECTOR === 'http') return new HttpErp(config.ERP_HTTP_URL as string, config.ERP_HTTP_SECRET as string);
  return new SandboxErp(db);
}

/** The company's rules: its ERP profile and settings, and whether a sender may decide their own round. */
export function erpSetup(config: Config): ItemRules {
  return {
    profile: erpProfile(config.ERP_PROFILE),
    settings: { erpIdFromChangeOrderNumber: config.ERP_ID_FROM_CHANGE_ORDER_NUMBER, timeZone: companyTimeZone(config) },
    allowSelfApproval: config.ALLOW_SELF_APPROVAL,
  };
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

/**
 * Slack delivery when Slack is configured, and email through SMTP_URL when that is set (to people
 * without Slack, or everyone); every notice is recorded either way.
 */
export function notifier(config: Config, db: Db): Notifier {
  const record = new RecordingNotifier(db);
  const directory = slackConfigured(config) ? new SlackDirectory(db, slackClient(config)) : null;
  const slack: Notifier = directory
    ? new SlackNotifier({
        db,
        client: slackClient(config),
        directory,
        approversChannel: config.SLACK_APPROVERS_CHANNEL as string,
        companyName: config.COMPANY_NAME,
        rules: erpSetup(config),
        record,
      })
    : record;
  if (!config.SMTP_URL) return slack;
  return new EmailNotifier({
    db,
    inner: slack,
    record,
    mailer: smtpMailer(config.SMTP_URL, config.EMAIL_FROM as string),
    companyName: config.COMPANY_NAME,
    rules: erpSetup(config),
    inSlack: directory ? async (user) => (await directory.slackIdOf(user)) !== undefined : null,
    always: config.NOTIFY_EMAIL === 'always',
  });
}

/** What the start-up says of email, once. */
export function emailWords(config: Config): string {
  if (!config.SMTP_URL)
    return `off: SMTP_URL is not set, so people without Slack get no notices${config.EMAIL_FROM ? ' (EMAIL_FROM is set, and unused without it)' : ''}`;
  const server = new URL(config.SMTP_URL);
  const who =
    config.NOTIFY_EMAIL === 'always'
      ? 'everyone'
      : slackConfigured(config)
        ? 'people without a Slack account'
        : 'everyone (Slack is not set up)';
  return `through ${server.protocol}//${server.host} from ${config.EMAIL_FROM}, to ${who}`;
}
