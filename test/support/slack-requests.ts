/** Requests to /slack/events built and signed exactly as Slack builds and signs them. */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  timestamp?: number;
  signature?: string;
  retryNum?: number;
  secret?: string;
  /** Raw header values, sent as given (for probing the verification). */
  headers?: Record<string, string>;
}

export interface SignedRequest {
  body: string;
  contentType: string;
}

export async function sendSigned(url: string, request: SignedRequest, options: SendOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': request.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, request.body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(url, { method: 'POST', headers, body: request.body });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text || '{}') as Record<string, any> };
}

const team = { id: 'T1', domain: 'acme' };

/** An interactive payload (button click, modal submission) as Slack posts it: form-encoded `payload`. */
export function interaction(payload: Record<string, unknown>): SignedRequest {
  return {
    body: `payload=${encodeURIComponent(JSON.stringify({ team, api_app_id: 'A1', token: 'legacy', ...payload }))}`,
    contentType: 'application/x-www-form-urlencoded',
  };
}

export function buttonClick(options: {
  user: string;
  actionId: string;
  value: string;
  channel?: string;
  messageTs?: string;
  responseUrl?: string;
}): SignedRequest {
  return interaction({
    type: 'block_actions',
    user: { id: options.user, team_id: 'T1' },
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    container: options.channel
      ? { type: 'message', channel_id: options.channel, message_ts: options.messageTs }
      : { type: 'view', view_id: 'VHOME' },
    ...(options.channel ? { channel: { id: options.channel }, message: { ts: options.messageTs, text: '' } } : {}),
    ...(options.responseUrl ? { response_url: options.responseUrl } : {}),
    actions: [{ type: 'button', action_id: options.actionId, block_id: 'b1', value: options.value, action_ts: String(Date.now() / 1000) }],
  });
}

export function modalSubmit(options: {
  user: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, string>;
}): SignedRequest {
  const values = Object.fromEntries(
    Object.entries(options.values).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }]),
  );
  return interaction({
    type: 'view_submission',
    user: { id: options.user, team_id: 'T1' },
    trigger_id: 'trigger-submit',
    view: {
      id: 'VMODAL',
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata,
      state: { values },
      hash: 'h1',
    },
  });
}

export function slashCommand(options: { user: string; text: string; responseUrl: string; channel?: string }): SignedRequest {
  const fields = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: options.channel ?? 'C-SOMEWHERE',
    channel_name: 'general',
    user_id: options.user,
    user_name: options.user.toLowerCase(),
    command: '/erp',
    text: options.text,
    api_app_id: 'A1',
    response_url: options.responseUrl,
    trigger_id: 'trigger-cmd',
  });
  return { body: fields.toString(), contentType: 'application/x-www-form-urlencoded' };
}

export function eventCallback(event: Record<string, unknown>): SignedRequest {
  return {
    body: JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    }),
    contentType: 'application/json',
  };
}
