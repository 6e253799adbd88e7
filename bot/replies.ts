/** Refusals and answers to one person, never to the channel. */
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../domain/errors';
import { md, type Mrkdwn } from './text';
import { messageText } from './views/blocks';

/** The words for a refusal; an unexpected error gets a short apology instead of a stack trace. */
export function refusalText(err: unknown): Mrkdwn {
  if (err instanceof DomainError) return md`:no_entry: ${err.message}`;
  console.error('Slack listener failed', err);
  return md`:warning: Something went wrong on our side and nothing was changed. Try again in a moment; if it keeps happening, tell the operator.`;
}

/** An ephemeral message in the channel where the person clicked, or a direct message where there is none (App Home). */
export async function tell(client: WebClient, user: string, channel: string | undefined, text: Mrkdwn): Promise<void> {
  if (channel) {
    await client.chat.postEphemeral({ channel, user, text: messageText(text) });
  } else {
    await client.chat.postMessage({ channel: user, text: messageText(text) });
  }
}
