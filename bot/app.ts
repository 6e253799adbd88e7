/**
 * The Slack bot: one Bolt app. Over HTTP it answers on /slack/events (events, interactivity, slash
 * commands) with Slack's signature checked; with SLACK_APP_TOKEN it uses Socket Mode instead.
 */
import {
  App,
  ErrorCode,
  ExpressReceiver,
  LogLevel,
  type AnyMiddlewareArgs,
  type Middleware,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Response } from 'express';
import type { WebClient } from '@slack/web-api';
import type { BotDeps } from './deps';
import { registerListeners } from './listeners';
import { ReceivedInDatabase, ReceivedInMemory, type ReceivedRequests } from './received-requests';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface BotOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  slackApiUrl: string;
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
/** Seconds since the epoch, as Slack writes them: digits only, no sign, no leading zero, no fraction. */
const TIMESTAMP = /^[1-9][0-9]{0,11}$/;
/** Slack numbers its re-deliveries from 1. */
const RETRY_NUM = /^[1-9][0-9]{0,3}$/;

export interface SlackGuardOptions {
  signingSecret: string;
  /** How far a request's timestamp may be from now, either way. */
  windowSeconds?: number;
  /** Where verified requests are remembered (default: this process's memory; production: the database). */
  received?: ReceivedRequests;
  /** The largest body read (Slack's payloads are far smaller). */
  maxBodyBytes?: number;
}

/**
 * Checks each request to /slack/events before Bolt sees it, on exactly what is verified: headers of
 * Slack's form only (`v0=` and 64 hex digits; an integer timestamp within the window on either side;
 * a retry number that is a positive integer), the HMAC over the raw body, and then a request Slack
 * signed once is refused the second time. Only verified requests are remembered, keyed by their
 * HMAC (`received`), so unsigned traffic cannot grow the store. The body read here is handed to Bolt
 * (`rawBody`), which checks the signature again.
 */
export function slackRequestGuard({
  signingSecret,
  windowSeconds = 300,
  received = new ReceivedInMemory(),
  maxBodyBytes = 1_000_000,
}: SlackGuardOptions): RequestHandler & { remembered(): Promise<number> } {
  const readBody = express.raw({ type: () => true, limit: maxBodyBytes });
  const refuse = (res: Response, status: number, message: string) =>
    res.status(status).json({ error: status === 401 ? 'unauthorized' : 'malformed_request', message });

  const guard: RequestHandler = (req, res, next) => {
    const signature = req.get('x-slack-signature') ?? '';
    const timestamp = req.get('x-slack-request-timestamp') ?? '';
    const retry = req.get('x-slack-retry-num');
    if (!SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp)) return refuse(res, 401, 'This request is not signed by Slack.');
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - Number(timestamp)) > windowSeconds) return refuse(res, 401, 'This request is too old or dated in the future.');
    if (retry !== undefined && !RETRY_NUM.test(retry)) return refuse(res, 400, 'X-Slack-Retry-Num must be a positive integer.');

    readBody(req, res, (err?: unknown) => {
      if (err) return next(err);
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(raw).digest();
      const given = Buffer.from(signature.slice(3), 'hex');
      if (!timingSafeEqual(expected, given)) return refuse(res, 401, 'This request is not signed by Slack.');
      (req as typeof req & { rawBody: Buffer }).rawBody = raw;
      req.body = undefined;
      // Slack's own re-delivery: Bolt acknowledges it and stops, so it never applies anything twice.
      if (retry !== undefined) return next();

      // Kept until its timestamp leaves the window.
      received
        .firstTime(expected.toString('hex'), Number(timestamp) + windowSeconds)
        .then((first) => (first ? next() : refuse(res, 401, 'This request was already received.')), next);
    });
  };
  return Object.assign(guard, { remembered: () => received.size() });
}

/** Slack re-delivers a request it thinks we missed (Bolt puts x-slack-retry-num in the context): the first was handled, so ack and stop. */
const ignoreSlackRetries: Middleware<AnyMiddlewareArgs> = async (args) => {
  if (args.context.retryNum) {
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
    return;
  }
  await args.next();
};

/**
 * Socket Mode: Slack sends an envelope again when it was not acknowledged, and after a dropped
 * connection the first may never have reached us, so a retry is not skipped unseen: each payload is
 * handled once, remembered by its hash (across processes, in the database) for an hour.
 */
function onceEachPayload(received: ReceivedRequests): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = createHash('sha256').update(JSON.stringify(args.body)).digest('hex');
    if (await received.firstTime(`socket:${key}`, Math.floor(Date.now() / 1000) + 3_600)) return args.next();
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}

/**
 * A signed request Bolt cannot process before any listener acknowledged it is malformed (Slack itself
 * does not send such payloads): answer 400 rather than 500. Authorization failures stay 401.
 */
const AUTHORIZATION_ERROR: string = ErrorCode.AuthorizationError;

const answerUnprocessable = async ({ error, logger, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
  if (response.headersSent) {
    logger.error('A Slack listener failed after acknowledging', error);
    return false;
  }
  const unauthorized = 'code' in error && error.code === AUTHORIZATION_ERROR;
  response.writeHead(unauthorized ? 401 : 400, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify(
      unauthorized
        ? { error: 'unauthorized' }
        : { error: 'malformed_request', message: 'This request is not a Slack payload the app can process.' },
    ),
  );
  return true;
};

export interface SlackBot {
  app: App;
  client: WebClient;
  /** For HTTP: mount on the server (after `slackRequestGuard()`); undefined in Socket Mode. */
  receiver?: ExpressReceiver;
}

export function createSlackBot(options: BotOptions, deps: BotDeps): SlackBot {
  const clientOptions = { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5_000 } };
  if (options.appToken) {
    const app = new App({ token: options.botToken, appToken: options.appToken, socketMode: true, clientOptions, logLevel: LogLevel.WARN });
    app.error(async (error) => {
      console.error('Slack listener error', error.original ?? error);
    });
    app.use(onceEachPayload(new ReceivedInDatabase(deps.db)));
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
