/**
 * Block Kit pieces within Slack's limits. mrkdwn goes in only as `Mrkdwn` (escaped by `md`) and is cut
 * after escaping, so no text from an item or a person can break a message or ping anyone; the full
 * text stays in the item view (`/erp status`, the API).
 */
import type { Button, ConfirmationDialog, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { cutMrkdwn, truncate, type Mrkdwn } from '../text';

/** Slack's limits (Block Kit reference). */
export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextText: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  /** The top-level `text` of a message: used for notifications; kept short. */
  messageText: 3000,
  messageBlocks: 50,
  homeBlocks: 100,
} as const;

export function section(text: Mrkdwn): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(text, LIMITS.sectionText).text } };
}

export function fields(values: readonly Mrkdwn[]): SectionBlock {
  return {
    type: 'section',
    fields: values.slice(0, LIMITS.fields).map((value) => ({ type: 'mrkdwn' as const, text: cutMrkdwn(value, LIMITS.field).text })),
  };
}

export function context(text: Mrkdwn): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cutMrkdwn(text, LIMITS.contextText).text }] };
}

/** Plain text: Slack shows it as written, so it is not escaped, only cut. */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: false } };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  options: { style?: 'primary' | 'danger'; confirm?: ConfirmationDialog } = {},
): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText) },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/** The notification text of a message (what shows in a push or a screen reader). */
export function messageText(text: Mrkdwn): string {
  return cutMrkdwn(text, LIMITS.messageText).text;
}

/** A message's blocks, at most Slack's 50. */
export function messageBlocks(blocks: KnownBlock[]): KnownBlock[] {
  return blocks.slice(0, LIMITS.messageBlocks);
}
