/**
 * The Slack bot: one Bolt app. Over HTTP it answers on /slack/events (events, interactivity, slash
 * commands) with Slack's signature checked; with SLACK_APP_TOKEN it uses Socket Mode instead.
 */
import { App, ErrorCode, ExpressReceiver, LogLevel, type AnyMiddlewareArgs, type Middleware, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
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
    // Entries are kept in arrival order, so the expired ones are the first few.
    for (const [key, until] of seen) {
      if (until >= now) break;
      seen.delete(key);
    }
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

/**
 * A signed request Bolt cannot process before any listener acknowledged it is malformed (Slack itself
 * does not send such payloads): answer 400 rather than 500. Authorization failures stay 401.
 */
const answerUnprocessable = async ({ error, logger, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
  if (response.headersSent) {
    logger.error('A Slack listener failed after acknowledging', error);
    return false;
  }
  const unauthorized = 'code' in error && error.code === ErrorCode.AuthorizationError;
  response.writeHead(unauthorized ? 401 : 400, { 'content-type': 'application/json' });
  response.end(JSON.stringify(unauthorized ? { error: 'unauthorized' } : { error: 'malformed_request', message: 'This request is not a Slack payload the app can process.' }));
  return true;
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
    processEventErrorHandler: answerUnprocessable,
  });
  const app = new App({ token: options.botToken, receiver, clientOptions, tokenVerificationEnabled: false, logLevel: LogLevel.WARN });
  app.error(async (error) => {
    console.error('Slack listener error', error.original ?? error);
  });
  app.use(ignoreSlackRetries);
  registerListeners(app, deps);
  return { app, client: app.client, receiver };
}
