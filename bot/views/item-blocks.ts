/**
 * Block Kit for items: pure functions from an item view to blocks. The review request in the
 * approvers' channel is re-rendered from the item's current state after every change.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { ITEM_TYPE_INFO } from '../../domain/item-types';
import { formatMoney } from '../../domain/items';
import { reviewFacts, type ReviewFacts } from '../../domain/review';
import { statusLabel, type ItemAction } from '../../domain/statuses';
import type { ItemView } from '../../services/item-view';
import { esc, slackDate, truncate } from '../text';

export const ACTIONS = {
  accept: 'erp_accept',
  reject: 'erp_reject',
  retryExport: 'erp_retry_export',
  resend: 'erp_resend',
  void: 'erp_void',
} as const;

/** A link button ("View Online"): Slack still sends a click, which the bot acknowledges and ignores. */
export const LINK_ACTION = 'erp_view_online';

/** Buttons carry `type:ref`. */
export function itemKey(view: Pick<ItemView, 'type' | 'ref'>): string {
  return `${view.type}:${view.ref}`;
}

export function parseItemKey(value: string): { type: string; ref: string } {
  const at = value.indexOf(':');
  return { type: value.slice(0, at), ref: value.slice(at + 1) };
}

const title = (view: ItemView) => `${ITEM_TYPE_INFO[view.type].label[0]?.toUpperCase()}${ITEM_TYPE_INFO[view.type].label.slice(1)} ${view.ref}`;

function lineSummary(facts: ReviewFacts): string | null {
  if (facts.type === 'project') return null;
  const lines = facts.lines.map((l) =>
    l.sovLineNo !== null
      ? `• Line ${l.lineNo} → SOV ${l.sovLineNo}: ${esc(truncate(l.description, 60))} ${formatMoney(l.amountCents)}`
      : `• ${l.lineNo}. ${esc(truncate(l.description, 60))}${l.costCode ? ` (${esc(l.costCode)}${l.category ? `/${esc(l.category)}` : ''})` : ''} ${formatMoney(l.amountCents)}`,
  );
  const shown = lines.slice(0, 5);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more`);
  return shown.length > 0 ? shown.join('\n') : '_No lines_';
}

function lastBy(view: ItemView, actions: string[]) {
  return [...view.history].reverse().find((entry) => actions.includes(entry.action));
}

/**
 * What the approvers review: the round's frozen snapshot while the item is with accounting or in the
 * ERP (so the message shows exactly what will be, or was, exported), the live item otherwise.
 */
function shownFacts(view: ItemView): { facts: ReviewFacts; frozen: boolean } {
  if (view.review && view.erp.locked) return { facts: view.review.facts, frozen: true };
  return { facts: reviewFacts(view.item), frozen: false };
}

/** The essentials an approver decides on. */
export function itemEssentials(view: ItemView): KnownBlock[] {
  const { facts, frozen } = shownFacts(view);
  const fields = [
    `*Type*\n${ITEM_TYPE_INFO[facts.type].label}`,
    `*Project*\n${esc(facts.projectRef)}`,
    `*Title*\n${esc(facts.title)}`,
    `*Created by*\n${esc(facts.creator.name)}`,
  ];
  if (facts.vendor) fields.push(`*Vendor*\n${esc(facts.vendor)}`);
  if (facts.totalCents !== null) fields.push(`*Amount*\n${formatMoney(facts.totalCents)}`);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title(view)} · ${facts.title}`, 150), emoji: false } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  const lines = lineSummary(facts);
  if (lines) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines, 2900) } });
  const reviewed = view.erp.reviewed;
  if (frozen && reviewed) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Reviewed snapshot \`sha256:${reviewed.hash}\` · round ${reviewed.round} · sent by ${esc(reviewed.by.name)} on ${slackDate(reviewed.at)}` }],
    });
  }
  return blocks;
}

/** A re-send: what changed since the rejected snapshot, old → new. */
function changesBlock(view: ItemView): KnownBlock | null {
  const changes = view.review?.changes;
  if (!changes) return null;
  if (changes.length === 0) return { type: 'section', text: { type: 'mrkdwn', text: '*Changed since the rejected version:* nothing.' } };
  const shown = changes.slice(0, 12).map((c) => `• *${esc(c.label)}:* ${esc(truncate(c.from ?? '(none)', 120))} → ${esc(truncate(c.to ?? '(removed)', 120))}`);
  if (changes.length > shown.length) shown.push(`…and ${changes.length - shown.length} more changes`);
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Changed since the rejected version:*\n${shown.join('\n')}`, 2900) } };
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

  const offered = (...buttons: [string, ItemAction, string, ('primary' | 'danger')?][]) => {
    const elements = buttons.filter(([, action]) => view.erp.availableActions.includes(action)).map(([text, , id, style]) => button(text, id, key, style));
    if (elements.length > 0) blocks.push({ type: 'actions', elements });
  };

  if (sent?.action === 're-sent') {
    note(`:repeat: *Re-sent* by ${by(sent)}.${sent.reason ? `\n*Previous rejection:* ${esc(truncate(sent.reason, 2000))}` : ''}`);
    const changes = changesBlock(view);
    if (changes) blocks.push(changes);
  }

  switch (view.erp.status) {
    case 'ReadyToExport':
      note(`*Ready to Export* — waiting for an accounting approver.`);
      offered(['Accept', 'accept', ACTIONS.accept, 'primary'], ['Reject', 'reject', ACTIONS.reject, 'danger']);
      break;
    case 'Exporting':
      note(`:hourglass_flowing_sand: *Accepted* by ${by(decided)}${decided?.reason ? ` — “${esc(decided.reason)}”` : ''}. Exporting to the ERP…`);
      break;
    case 'Synced': {
      const exported = lastBy(view, ['exported']);
      note(
        `:white_check_mark: *Synced* — ERP id \`${esc(view.erp.erpId)}\`. Accepted by ${by(lastBy(view, ['accepted', 'sent for another export attempt']))}.` +
          (exported?.message?.includes('already booked') ? `\n${esc(exported.message)}` : ''),
      );
      break;
    }
    case 'FailedToExport':
      note(`:warning: *Failed to Export* — the ERP said: ${esc(truncate(view.erp.exportError ?? '', 1500))}\nAccepted by ${by(decided)}. Retry once it is fixed in the ERP, or reject it back to the creator.`);
      offered(['Retry export', 'retry-export', ACTIONS.retryExport, 'primary'], ['Reject', 'reject', ACTIONS.reject, 'danger']);
      break;
    case 'Rejected':
      note(`:x: *Rejected* by ${by(decided)}: ${esc(truncate(decided?.reason ?? view.erp.lastRejectionReason ?? '', 2000))}`);
      break;
    case 'Voided':
      note(`:wastebasket: *Voided* by ${by(lastBy(view, ['voided']))}: it will not be sent again.`);
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
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: ITEM_TYPE_INFO[view.type].voidable
              ? 'Fix what the approver asked for in the source system, then re-send it for acceptance — or void it if it will not go to the ERP.'
              : 'Fix what the approver asked for in the source system, then re-send it for acceptance.',
          },
        ],
      },
      { type: 'actions', elements: rejectionButtons(view) },
    ],
  };
}

function rejectionButtons(view: ItemView) {
  const key = itemKey(view);
  const elements: ActionsBlock['elements'] = [button('Re-send to ERP', ACTIONS.resend, key, 'primary')];
  if (ITEM_TYPE_INFO[view.type].voidable) {
    elements.push({
      ...button('Void', ACTIONS.void, key, 'danger'),
      confirm: {
        title: { type: 'plain_text', text: `Void ${truncate(view.ref, 60)}?` },
        text: { type: 'plain_text', text: 'It leaves every queue and can never be sent to the ERP again. Its history is kept.' },
        confirm: { type: 'plain_text', text: 'Void it' },
        deny: { type: 'plain_text', text: 'Keep it' },
        style: 'danger',
      },
    });
  }
  if (view.url) elements.push({ type: 'button', text: { type: 'plain_text', text: 'View Online' }, action_id: LINK_ACTION, url: view.url });
  return elements;
}

export function syncedNotice(view: ItemView): { text: string } {
  return { text: `:white_check_mark: ${title(view)} · ${esc(view.title)} is in the ERP now (ERP id \`${esc(view.erp.erpId)}\`).` };
}
