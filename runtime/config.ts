/**
 * Configuration from the environment, checked once at start-up. A bad or missing value stops the
 * program with one line per problem.
 */
import { z } from 'zod';
import { ERP_PROFILES } from '../domain/erp-profiles';

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value)));

export const ConfigSchema = z.object({
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Ports of the embedded dev server (when TEMPORAL_ADDRESS is unset). */
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** mTLS to a Temporal cluster or Temporal Cloud: paths of the client certificate and key (PEM). */
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  /** An API key for Temporal Cloud (implies TLS). */
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('erp-approvals'),
  /** PostgreSQL 14 or later. Unset: `npm start` runs an embedded PostgreSQL with its data under ./data/postgres. */
  DATABASE_URL: optional.refine(
    (url) => url === undefined || (/^postgres(ql)?:\/\/[^\s]+$/.test(url) && URL.canParse(url)),
    'DATABASE_URL must be a PostgreSQL URL: postgresql://user:password@host:5432/database',
  ),
  /** The embedded PostgreSQL's port (when DATABASE_URL is unset). */
  EMBEDDED_DATABASE_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  /** Connections each process may hold; size it so every process's pool fits the server's max_connections. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** How long a query waits for a free connection before the API answers 503 (milliseconds). */
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  SLACK_APPROVERS_CHANNEL: optional,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address the HTTP server listens on: this machine only unless told otherwise (0.0.0.0 in a container). */
  HOST: z.string().min(1).default('127.0.0.1'),
  API_TOKEN: optional.refine((token) => token === undefined || token.length >= 16, 'API_TOKEN must be at least 16 characters'),
  ERP_CONNECTOR: z.enum(['sandbox', 'http']).default('sandbox'),
  /** A prebuilt workflow bundle for a fast worker start. */
  WORKFLOW_BUNDLE_PATH: optional,
  /**
   * Rounds a worker keeps in memory. A round waiting for a decision costs memory while cached; past
   * this many, the least recently used are evicted and replayed from history when a decision comes.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(50),
  ERP_PROFILE: z
    .string()
    .default('sage300cre')
    .refine((id) => Object.hasOwn(ERP_PROFILES, id), { message: `ERP_PROFILE must be one of: ${Object.keys(ERP_PROFILES).join(', ')}` }),
  ERP_HTTP_URL: optional.pipe(z.url().optional()),
  ERP_HTTP_SECRET: optional,
  ERP_ID_FROM_CHANGE_ORDER_NUMBER: flag.transform((value) => value ?? true),
  /** One-person offices: whoever sent a round may also decide it; the history marks it self-approved. */
  ALLOW_SELF_APPROVAL: flag.transform((value) => value ?? false),
  /** The company's time zone (IANA name): dates exported to the ERP are calendar days there. Default: TZ. */
  COMPANY_TIME_ZONE: optional.refine(
    (zone) => zone === undefined || isTimeZone(zone),
    'COMPANY_TIME_ZONE must be an IANA time zone such as America/Chicago',
  ),
  COMPANY_NAME: z.string().min(1).default('Your Company'),
  /** The mail server notices go out through: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. Unset: no email. */
  SMTP_URL: optional.refine(
    (url) => url === undefined || /^smtps?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url),
    'SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587',
  ),
  /** The sender of notice emails: an address, or a name and an address ("ERP approvals <erp@example.com>"). */
  EMAIL_FROM: optional.refine(
    (from) => from === undefined || /^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from.trim()),
    'EMAIL_FROM must be an email address, or a name and an address such as "ERP approvals <erp@example.com>"',
  ),
  /** Who gets notices by email: those without a Slack account (missing, the default), or everyone (always). */
  NOTIFY_EMAIL: z.enum(['missing', 'always']).default('missing'),
  DAILY_SUMMARY_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DAILY_SUMMARY_TIME must be HH:MM (24-hour)')
    .default('08:00'),
  TZ: z
    .string()
    .min(1)
    .default('UTC')
    .refine((zone) => isTimeZone(zone), 'TZ must be an IANA time zone such as America/Chicago'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** COMPANY_TIME_ZONE, else TZ (UTC unless set). */
export function companyTimeZone(config: Config): string {
  return config.COMPANY_TIME_ZONE ?? config.TZ;
}

/** How people reach a server listening on HOST: `localhost` for the any-address, else HOST itself. */
export function publicHost(config: Config): string {
  return config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
}

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Settings that depend on each other, checked even when other values are wrong so all problems show at once. */
function dependentProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const slackNames = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_APPROVERS_CHANNEL'] as const;
  if (slackNames.some((name) => env[name]?.trim())) {
    if (!env.SLACK_BOT_TOKEN?.trim()) problems.push('SLACK_BOT_TOKEN: SLACK_BOT_TOKEN is required to connect Slack (the xoxb- token)');
    if (!env.SLACK_APPROVERS_CHANNEL?.trim())
      problems.push(
        'SLACK_APPROVERS_CHANNEL: SLACK_APPROVERS_CHANNEL is required to connect Slack (the channel id where review requests go)',
      );
    if (!env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim()) {
      problems.push('SLACK_SIGNING_SECRET: SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
    }
  }
  if (!!env.TEMPORAL_TLS_CERT?.trim() !== !!env.TEMPORAL_TLS_KEY?.trim()) {
    problems.push('TEMPORAL_TLS_CERT: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (client certificate and its key)');
  }
  if ((env.TEMPORAL_TLS_CERT?.trim() || env.TEMPORAL_API_KEY?.trim()) && !env.TEMPORAL_ADDRESS?.trim()) {
    problems.push('TEMPORAL_ADDRESS: TEMPORAL_ADDRESS is required with TLS or an API key (the embedded dev server uses neither)');
  }
  if (env.SMTP_URL?.trim() && !env.EMAIL_FROM?.trim()) {
    problems.push('EMAIL_FROM: EMAIL_FROM is required with SMTP_URL (the address notice emails come from)');
  }
  if (env.ERP_CONNECTOR === 'http') {
    if (!env.ERP_HTTP_URL?.trim()) problems.push('ERP_HTTP_URL: ERP_HTTP_URL is required when ERP_CONNECTOR=http');
    if (!env.ERP_HTTP_SECRET?.trim()) problems.push('ERP_HTTP_SECRET: ERP_HTTP_SECRET is required when ERP_CONNECTOR=http');
  }
  return problems;
}

/** Slack is connected when its settings are complete (checked by `loadConfig`). */
export function slackConfigured(config: Config): boolean {
  return !!config.SLACK_BOT_TOKEN && !!config.SLACK_APPROVERS_CHANNEL && (!!config.SLACK_SIGNING_SECRET || !!config.SLACK_APP_TOKEN);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)),
    ...dependentProblems(env),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
