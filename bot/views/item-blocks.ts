/**
 * Block Kit for items: pure functions from an item view to blocks. The review request in the
 * approvers' channel is re-rendered from the item's current state after every change.
 */
import type { KnownBlock } from '@slack/types';
import { ITEM_TYPE_INFO } from '../../domain/item-types';
import { formatMoney, type Item } from '../../domain/items';
import { statusLabel } from '../../domain/statuses';
import type { ItemView } from '../../services/item-view';
import { esc, slackDate, truncate } from '../text';

export const ACTIONS = {
  accept: 'erp_accept',
  reject: 'erp_reject',
  retryExport: 'erp_retry_export',
  resend: 'erp_resend',
} as const;

/** Buttons carry `type:ref`. */
export function itemKey(view: Pick<ItemView, 'type' | 'ref'>): string {
  return `${view.type}:${view.ref}`;
}

export function parseItemKey(value: string): { type: string; ref: string } {
  const at = value.indexOf(':');
  return { type: value.slice(0, at), ref: value.slice(at + 1) };
}

const title = (view: ItemView) => `${ITEM_TYPE_INFO[view.type].label[0]?.toUpperCase()}${ITEM_TYPE_INFO[view.type].label.slice(1)} ${view.ref}`;

function vendorOf(item: Item): string | null {
  return item.type === 'project' ? null : (item.vendor?.name ?? null);
}

function lineSummary(item: Item): string | null {
  if (item.type === 'project') return null;
  const lines = item.type === 'cco'
    ? item.lines.map((l) => `• Line ${l.lineNo} → SOV ${l.sovLineNo}: ${esc(truncate(l.description, 60))} ${formatMoney(l.amountCents)}`)
    : item.lines.map((l) => `• ${l.lineNo}. ${esc(truncate(l.description, 60))}${l.costCode ? ` (${esc(l.costCode)})` : ''} ${formatMoney(l.amountCents)}`);
  const shown = lines.slice(0, 5);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more`);
  return shown.length > 0 ? shown.join('\n') : '_No lines_';
}

function lastBy(view: ItemView, actions: string[]) {
  return [...view.history].reverse().find((entry) => actions.includes(entry.action));
}

/** The essentials an approver decides on. */
export function itemEssentials(view: ItemView): KnownBlock[] {
  const fields = [
    `*Type*\n${ITEM_TYPE_INFO[view.type].label}`,
    `*Project*\n${esc(view.projectRef)}`,
    `*Title*\n${esc(view.title)}`,
    `*Created by*\n${esc(view.item.createdBy.name)}`,
  ];
  const vendor = vendorOf(view.item);
  if (vendor) fields.push(`*Vendor*\n${esc(vendor)}`);
  if (view.totalAmount !== null) fields.push(`*Amount*\n${formatMoney(Math.round(Number(view.totalAmount) * 100))}`);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title(view)} · ${view.title}`, 150), emoji: false } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  const lines = lineSummary(view.item);
  if (lines) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines, 2900) } });
  return blocks;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button' as const, text: { type: 'plain_text' as const, text }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** Where the item stands, who decided, and the buttons that apply now. */
export function statusBlocks(view: ItemView): KnownBlock[] {
  const key = itemKey(view);
  const blocks: KnownBlock[] = [];
  const note = (text: string) => blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  const sent = lastBy(view, ['sent', 're-sent']);
  const decided = lastBy(view, ['accepted', 'rejected', 'retrieved']);
  const by = (entry: ItemView['history'][number] | undefined) => (entry ? `${esc(entry.by?.name ?? 'someone')} on ${slackDate(entry.at)}` : '');

  if (sent?.action === 're-sent') note(`:repeat: *Re-sent* by ${by(sent)}.${sent.reason ? `\n*Previous rejection:* ${esc(sent.reason)}` : ''}`);

  switch (view.erp.status) {
    case 'ReadyToExport':
      note(`*Ready to Export* — waiting for an accounting approver.`);
      blocks.push({ type: 'actions', elements: [button('Accept', ACTIONS.accept, key, 'primary'), button('Reject', ACTIONS.reject, key, 'danger')] });
      break;
    case 'Exporting':
      note(`:hourglass_flowing_sand: *Accepted* by ${by(decided)}${decided?.reason ? ` — “${esc(decided.reason)}”` : ''}. Exporting to the ERP…`);
      break;
    case 'Synced':
      note(`:white_check_mark: *Synced* — ERP id \`${esc(view.erp.erpId)}\`. Accepted by ${by(lastBy(view, ['accepted', 'sent for another export attempt']))}.`);
      break;
    case 'FailedToExport':
      note(`:warning: *Failed to Export* — the ERP said: ${esc(view.erp.exportError)}\nAccepted by ${by(decided)}. Retry once it is fixed in the ERP, or reject it back to the creator.`);
      blocks.push({ type: 'actions', elements: [button('Retry export', ACTIONS.retryExport, key, 'primary'), button('Reject', ACTIONS.reject, key, 'danger')] });
      break;
    case 'Rejected':
      note(`:x: *Rejected* by ${by(decided)}: ${esc(decided?.reason ?? view.erp.lastRejectionReason)}`);
      break;
    case 'Retrieved':
      note(`:leftwards_arrow_with_hook: *Retrieved* by ${by(decided)} for changes.`);
      break;
    case 'NotSent':
      note(`*Not Sent*.`);
      break;
  }
  return blocks;
}

/** The review request in the approvers' channel, as it stands now. */
export function reviewMessage(view: ItemView): { text: string; blocks: KnownBlock[] } {
  return {
    text: `${title(view)} (${esc(view.title)}) is ${statusLabel(view.erp.status)}`,
    blocks: [...itemEssentials(view), { type: 'divider' }, ...statusBlocks(view)],
  };
}

/** An earlier round's request once the item is re-sent: no buttons, and a pointer to the new request. */
export function supersededMessage(view: ItemView, round: number, previousRejection: string | null): { text: string; blocks: KnownBlock[] } {
  const resent = lastBy(view, ['re-sent']);
  return {
    text: `${title(view)} was re-sent for review (round ${round})`,
    blocks: [
      ...itemEssentials(view),
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: `:x: *Rejected*${previousRejection ? `: ${esc(previousRejection)}` : '.'}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `:repeat: Re-sent by ${esc(resent?.by?.name ?? 'the creator')}${resent ? ` on ${slackDate(resent.at)}` : ''}: see the new review request (round ${round}).` }],
      },
    ],
  };
}

/** The creator's direct message after a rejection, with a way to re-send. */
export function rejectionNotice(view: ItemView, companyName: string): { text: string; blocks: KnownBlock[] } {
  const rejected = lastBy(view, ['rejected']);
  // The subject line accountants know from the ERP Integrations e-mails.
  const heading = `${companyName}: ERP ${view.type === 'project' ? 'Project' : 'Commitment'} Rejection Notification`;
  return {
    text: `${esc(heading)} — ${title(view)} was rejected by ${esc(rejected?.by?.name)}: ${esc(rejected?.reason)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(heading, 150) } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${title(view)}* · ${esc(view.title)} was rejected by *${esc(rejected?.by?.name)}*${rejected ? ` on ${slackDate(rejected.at)}` : ''}.\n*Rejection comments:* ${esc(rejected?.reason)}`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Fix what the approver asked for in the source system, then re-send it for acceptance.' }] },
      { type: 'actions', elements: [button('Re-send to ERP', ACTIONS.resend, itemKey(view), 'primary')] },
    ],
  };
}

export function syncedNotice(view: ItemView): { text: string } {
  return { text: `:white_check_mark: ${title(view)} · ${esc(view.title)} is in the ERP now (ERP id \`${esc(view.erp.erpId)}\`).` };
}
