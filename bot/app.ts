/**
 * The Slack bot: one Bolt app. Over HTTP it answers on /slack/events (events, interactivity, slash
 * commands) with Slack's signature checked; with SLACK_APP_TOKEN it uses Socket Mode instead.
 */
import { App, ExpressReceiver, LogLevel, type Middleware, type AnyMiddlewareArgs } from '@slack/bolt';
import type { RequestHandler } from 'express';
import type { WebClient } from '@slack/web-api';
import type { BotDeps } from './deps';
import { registerListeners } from './listeners';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface BotOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  slackApiUrl: string;
}

/**
 * A request Slack signed once is refused the second time: within the five minutes the signature is
 * valid, a copy sent by someone else would otherwise be taken for Slack.
 */
export function replayGuard(windowMs = 5 * 60_000): RequestHandler {
  const seen = new Map<string, number>();
  return (req, res, next) => {
    const signature = req.get('x-slack-signature');
    // Slack's own retries are acked and ignored further on; they never apply a decision twice.
    if (!signature || req.get('x-slack-retry-num')) return next();
    const now = Date.now();
    for (const [key, until] of seen) if (until < now) seen.delete(key);
    const key = `${req.get('x-slack-request-timestamp')}:${signature}`;
    if (seen.has(key)) {
      res.status(401).send('This request was already received.');
      return;
    }
    seen.set(key, now + windowMs);
    next();
  };
}

/** Slack re-delivers a request it thinks we missed (Bolt puts x-slack-retry-num in the context): the first was handled, so ack and stop. */
const ignoreSlackRetries: Middleware<AnyMiddlewareArgs> = async (args) => {
  if (args.context.retryNum) {
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
    return;
  }
  await args.next();
};

export interface SlackBot {
  app: App;
  client: WebClient;
  /** For HTTP: mount on the server (after `replayGuard()`); undefined in Socket Mode. */
  receiver?: ExpressReceiver;
}

export function createSlackBot(options: BotOptions, deps: BotDeps): SlackBot {
  const clientOptions = { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5_000 } };
  if (options.appToken) {
    const app = new App({ token: options.botToken, appToken: options.appToken, socketMode: true, clientOptions, logLevel: LogLevel.WARN });
    app.use(ignoreSlackRetries);
    registerListeners(app, deps);
    return { app, client: app.client };
  }
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logLevel: LogLevel.WARN,
  });
  const app = new App({ token: options.botToken, receiver, clientOptions, tokenVerificationEnabled: false, logLevel: LogLevel.WARN });
  app.error(async (error) => {
    console.error('Slack listener error', error.original ?? error);
  });
  app.use(ignoreSlackRetries);
  registerListeners(app, deps);
  return { app, client: app.client, receiver };
}
