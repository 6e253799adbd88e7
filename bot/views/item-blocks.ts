/**
 * Block Kit for items: pure functions from an item view to blocks. The review request in the
 * approvers' channel is re-rendered from the item's current state after every change.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { ITEM_TYPE_INFO, itemName } from '../../domain/item-types';
import { capitalized } from '../../domain/text';
import { deciderWords, formatMoney, type Person } from '../../domain/items';
import { approvedAt, approverWords, stepLabel, stepWaitWords } from '../../domain/routing';
import { reviewFacts, type ReviewFacts } from '../../domain/review';
import { DECISIONS, SEND_ACTIONS, statusLabel, type Transition } from '../../domain/statuses';
import type { ItemView } from '../../services/item-view';
import { joinMd, md, type Mrkdwn, slackDate, truncate } from '../text';
import { context, fields, header, messageBlocks, messageText, section } from './blocks';
import { actionButtons, actionsBlock } from './buttons';

/** A link button ("View Online"): Slack still sends a click, which the bot acknowledges and ignores. */
export const LINK_ACTION = 'erp_view_online';

/** "Commitment change order CO-7": plain text, escaped where it goes into mrkdwn. */
const title = (view: Pick<ItemView, 'type' | 'ref'>) => capitalized(itemName(view.type, view.ref));

function lineSummary(facts: ReviewFacts): Mrkdwn | null {
  if (facts.type === 'project') return null;
  const lines = facts.lines.map((l) =>
    l.sovLineNo !== null
      ? md`• Line ${l.lineNo} → SOV ${l.sovLineNo}: ${truncate(l.description, 60)} ${formatMoney(l.amountCents)}`
      : md`• ${l.lineNo}. ${truncate(l.description, 60)}${l.costCode ? md` (${l.costCode}${l.category ? md`/${l.category}` : ''})` : ''} ${formatMoney(l.amountCents)}`,
  );
  const shown = lines.slice(0, 5);
  if (lines.length > shown.length) shown.push(md`…and ${lines.length - shown.length} more`);
  return shown.length > 0 ? joinMd(shown, '\n') : md`_No lines_`;
}

/** The latest history entry that is one of `moves`. */
function lastBy(view: ItemView, moves: readonly Transition[]) {
  return [...view.history].reverse().find((entry) => entry.transition !== null && moves.includes(entry.transition));
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
  const essentials = [
    md`*Type*\n${ITEM_TYPE_INFO[facts.type].label}`,
    md`*Project*\n${facts.projectRef}`,
    md`*Title*\n${facts.title}`,
    md`*Created by*\n${facts.creator.name}`,
  ];
  if (facts.vendor) essentials.push(md`*Vendor*\n${facts.vendor}`);
  if (facts.totalCents !== null) essentials.push(md`*Amount*\n${formatMoney(facts.totalCents)}`);
  const blocks: KnownBlock[] = [header(`${title(view)} · ${facts.title}`), fields(essentials)];
  const lines = lineSummary(facts);
  if (lines) blocks.push(section(lines));
  const reviewed = view.erp.reviewed;
  if (frozen && reviewed) {
    blocks.push(
      context(
        md`Reviewed snapshot \`sha256:${reviewed.hash}\` · round ${reviewed.round} · sent by ${reviewed.by.name} on ${slackDate(reviewed.at)}`,
      ),
    );
  }
  return blocks;
}

/** A re-send: what changed since the rejected snapshot, old → new. */
function changesBlock(view: ItemView): KnownBlock | null {
  const changes = view.review?.changes;
  if (!changes) return null;
  if (changes.length === 0) return section(md`*Changed since the rejected version:* nothing.`);
  const shown = changes
    .slice(0, 12)
    .map((c) => md`• *${c.label}:* ${truncate(c.from ?? '(none)', 120)} → ${truncate(c.to ?? '(removed)', 120)}`);
  if (changes.length > shown.length) shown.push(md`…and ${changes.length - shown.length} more changes`);
  return section(md`*Changed since the rejected version:*\n${joinMd(shown, '\n')}`);
}

/** Where the item stands, who decided, and the buttons that apply now. */
export function statusBlocks(view: ItemView): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const note = (text: Mrkdwn) => blocks.push(section(text));
  const sent = lastBy(view, SEND_ACTIONS);
  const decided = lastBy(view, ['accept', 'reject', 'retrieve']);
  const by = (entry: ItemView['history'][number] | undefined) =>
    entry ? md`${entry.by ? deciderWords(entry.by, entry.onBehalfOf) : 'someone'} on ${slackDate(entry.at)}` : md``;

  if (sent?.transition === 'resend') {
    note(md`:repeat: *Re-sent* by ${by(sent)}.${sent.reason ? md`\n*Previous rejection:* ${sent.reason}` : ''}`);
    const changes = changesBlock(view);
    if (changes) blocks.push(changes);
  }

  const route = routeBlock(view);
  switch (view.erp.status) {
    case 'ReadyToExport':
      note(route ? md`*Ready to Export* — ${waitingWords(view)}.` : md`*Ready to Export* — waiting for an accounting approver.`);
      break;
    case 'Exporting':
      note(
        md`:hourglass_flowing_sand: *Accepted* by ${by(decided)}${decided?.reason ? md` — “${decided.reason}”` : ''}. Exporting to the ERP…`,
      );
      break;
    case 'Synced': {
      const exported = lastBy(view, ['exported']);
      // Found booked under an earlier round's key: say so where the approvers look.
      const earlier =
        exported?.snapshotHash && view.erp.reviewed && exported.snapshotHash !== view.erp.reviewed.hash ? md`\n${exported.message}` : '';
      note(
        md`:white_check_mark: *Synced* — ERP id \`${view.erp.erpId}\`. Accepted by ${by(lastBy(view, ['accept', 'retry-export']))}.${earlier}`,
      );
      break;
    }
    case 'FailedToExport':
      note(
        md`:warning: *Failed to Export* — the ERP said: ${truncate(view.erp.exportError ?? '', 1500)}\nAccepted by ${by(decided)}. Retry once it is fixed in the ERP, or reject it back to the creator.`,
      );
      break;
    case 'Rejected':
      note(md`:x: *Rejected* by ${by(decided)}: ${decided?.reason ?? view.erp.lastRejectionReason}`);
      break;
    case 'Voided':
      note(md`:wastebasket: *Voided* by ${by(lastBy(view, ['void']))}: it will not be sent again.`);
      break;
    case 'Retrieved':
      note(md`:leftwards_arrow_with_hook: *Retrieved* by ${by(decided)} for changes.`);
      break;
    case 'NotSent':
      note(md`*Not Sent*.`);
      break;
  }
  if (route) blocks.push(route);
  // The approvers' decisions the item allows now (none once it is decided).
  blocks.push(...actionsBlock(actionButtons(view, view.erp.availableActions, DECISIONS)));
  return blocks;
}

const STEP_MARKS: Record<ItemView['steps'][number]['status'], string> = {
  approved: ':white_check_mark:',
  waiting: ':hourglass_flowing_sand:',
  pending: ':white_circle:',
  rejected: ':x:',
  stopped: ':leftwards_arrow_with_hook:',
};

/** Whose turn it is: "waiting for step 2 of 3 (Controllers): Carl Diaz and Dana Ito". */
function waitingWords(view: ItemView): Mrkdwn {
  const index = view.steps.findIndex((step) => step.status === 'waiting');
  const step = view.steps[index];
  if (!step) return md`waiting for an accounting approver`;
  return md`waiting for ${stepWaitWords(index, view.steps.length, step, approvedAt(step))}`;
}

/** The round's route, step by step, when a policy gave it one: who approved where, whose turn it is. */
function routeBlock(view: ItemView): KnownBlock | null {
  if (!view.approvalPolicy) return null;
  const lines = view.steps.map((step, index) => {
    const names = approverWords(step);
    const decided = step.decisions.map((d) => md`${d.action} by ${deciderWords(d.by, d.onBehalfOf)} on ${slackDate(d.at)}`);
    const escalated = step.escalated
      ? md`\n    :arrow_double_up: escalated to ${(step.escalateTo ?? []).map((person) => person.name).join(', ')} after waiting ${step.escalateAfter ?? ''} of working time`
      : '';
    return md`${STEP_MARKS[step.status]} *Step ${index + 1} · ${step.name}* (${names})${decided.length > 0 ? md` — ${joinMd(decided, '; ')}` : ''}${escalated}`;
  });
  return context(md`Approval policy *${view.approvalPolicy.name}*\n${joinMd(lines, '\n')}`);
}

/** A direct message to the approvers whose turn has come (or to whom a waiting step escalated): what waits for them and where to decide. */
export function turnNotice(
  view: ItemView,
  stepIndex: number,
  channel: string | null,
  escalation?: { after: string },
  forWhom?: Person,
): SlackMessage {
  const { where, amount } = stepAsked(view, stepIndex);
  const earlier = view.steps
    .slice(0, stepIndex)
    .flatMap((s) => s.decisions.filter((d) => d.action === 'approved').map((d) => deciderWords(d.by, d.onBehalfOf)));
  const why = escalation ? md` It waited ${escalation.after} of working time and was escalated to you.` : '';
  const away = forWhom ? md` on behalf of ${forWhom.name}, who is away` : '';
  return {
    text: messageText(md`Your approval is needed${away}: ${title(view)} · ${view.title}${amount} (${where})`),
    blocks: [
      section(
        md`:inbox_tray: *Your approval is needed*${away} — ${where}.${why}\n*${title(view)}* · ${view.title}${amount} · project ${view.projectRef}`,
      ),
      context(md`${earlier.length > 0 ? md`Approved so far by ${earlier.join(', ')}. ` : ''}${decideWhere(channel)}`),
    ],
  };
}

/** What a direct message asking for a step's approval names: the step ("step 1 of 2 (Accounting)") and the amount. */
function stepAsked(view: ItemView, stepIndex: number): { where: string; amount: Mrkdwn | '' } {
  const step = view.steps[stepIndex];
  const { totalCents } = shownFacts(view).facts;
  return {
    where: step ? stepLabel(stepIndex, view.steps.length, step.name) : 'its approval',
    amount: totalCents === null ? '' : md` · ${formatMoney(totalCents)}`,
  };
}

const decideWhere = (channel: string | null): Mrkdwn =>
  channel
    ? md`Accept or reject it from the review request in <#${channel}>.`
    : md`Accept or reject it from the review request in the approvers' channel.`;

/** A reminder to the approvers a step still waits for, once its reminder time (working hours) has passed. */
export function reminderNotice(
  view: ItemView,
  stepIndex: number,
  channel: string | null,
  waitingSince: string,
  forWhom?: Person,
): SlackMessage {
  const { where, amount } = stepAsked(view, stepIndex);
  return {
    text: messageText(
      md`Reminder: ${title(view)} · ${view.title}${amount} still waits for your approval${forWhom ? md` on behalf of ${forWhom.name}` : ''} (${where})`,
    ),
    blocks: [
      section(
        md`:alarm_clock: *Still waiting for your approval* — ${where}, since ${slackDate(waitingSince)}.\n*${title(view)}* · ${view.title}${amount} · project ${view.projectRef}`,
      ),
      context(decideWhere(channel)),
    ],
  };
}

/**
 * A step's turn asked in its review request's thread, in a policy's own channel: the people asked are
 * mentioned (`asked`, already mrkdwn), and decide with the request's buttons.
 */
export function turnThreadNotice(view: ItemView, stepIndex: number, asked: Mrkdwn, escalation?: { after: string }): SlackMessage {
  const { where } = stepAsked(view, stepIndex);
  const why = escalation ? md` It waited ${escalation.after} of working time and was escalated.` : '';
  const line = md`${asked}: your approval is needed — ${where}.${why}`;
  return { text: messageText(line), blocks: [section(md`:inbox_tray: ${line} Accept or reject it with the buttons above.`)] };
}

/** A reminder in the review request's thread, in a policy's own channel. */
export function reminderThreadNotice(view: ItemView, stepIndex: number, asked: Mrkdwn, waitingSince: string): SlackMessage {
  const { where } = stepAsked(view, stepIndex);
  return {
    text: messageText(md`Reminder: ${asked}: ${title(view)} still waits for your approval (${where})`),
    blocks: [section(md`:alarm_clock: ${asked}: still waiting for your approval — ${where}, since ${slackDate(waitingSince)}.`)],
  };
}

/** Said once in the thread of a review request posted in the approvers' channel because a policy's channel refused it. */
export function channelRefusedNotice(channel: string, error: string): SlackMessage {
  const line = md`This request belongs in <#${channel}>, which refused it (${error}): invite the bot there. Until then the approvers are asked by direct message.`;
  return { text: messageText(line), blocks: [context(line)] };
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The review request in the approvers' channel, as it stands now. */
export function reviewMessage(view: ItemView): SlackMessage {
  return {
    text: messageText(md`${title(view)} (${view.title}) is ${statusLabel(view.erp.status)}`),
    blocks: messageBlocks([...itemEssentials(view), { type: 'divider' }, ...statusBlocks(view)]),
  };
}

/** An earlier round's request once the item is re-sent: no buttons, and a pointer to the new request. */
export function supersededMessage(view: ItemView, round: number, previousRejection: string | null): SlackMessage {
  const resent = lastBy(view, ['resend']);
  return {
    text: messageText(md`${title(view)} was re-sent for review (round ${round})`),
    blocks: messageBlocks([
      ...itemEssentials(view),
      { type: 'divider' },
      section(md`:x: *Rejected*${previousRejection ? md`: ${previousRejection}` : '.'}`),
      context(
        md`:repeat: Re-sent by ${resent?.by?.name ?? 'the creator'}${resent ? md` on ${slackDate(resent.at)}` : ''}: see the new review request (round ${round}).`,
      ),
    ]),
  };
}

/** The direct message after a rejection, to the creator and to whoever sent it, with a way to re-send or void. */
export function rejectionNotice(view: ItemView, companyName: string): SlackMessage {
  const rejected = lastBy(view, ['reject']);
  // The subject line accountants know from the ERP Integrations e-mails.
  const heading = `${companyName}: ERP ${view.type === 'project' ? 'Project' : 'Commitment'} Rejection Notification`;
  return {
    text: messageText(md`${heading} — ${title(view)} was rejected by ${rejected?.by?.name}: ${rejected?.reason}`),
    blocks: [
      header(heading),
      section(
        md`*${title(view)}* · ${view.title} was rejected by *${rejected?.by?.name}*${rejected ? md` on ${slackDate(rejected.at)}` : ''}.\n*Rejection comments:* ${rejected?.reason}`,
      ),
      context(
        ITEM_TYPE_INFO[view.type].voidable
          ? md`Fix what the approver asked for in the source system, then re-send it for acceptance — or void it if it will not go to the ERP.`
          : md`Fix what the approver asked for in the source system, then re-send it for acceptance.`,
      ),
      ...actionsBlock(rejectionButtons(view)),
    ],
  };
}

/** What the creator can do with a rejected item (re-send it, or void it where its type allows), and a link to it. */
function rejectionButtons(view: ItemView): ActionsBlock['elements'] {
  const elements = actionButtons(view, view.erp.availableActions, ['resend', 'void']);
  if (view.url) elements.push({ type: 'button', text: { type: 'plain_text', text: 'View Online' }, action_id: LINK_ACTION, url: view.url });
  return elements;
}

export function syncedNotice(view: ItemView): { text: string } {
  return { text: messageText(md`:white_check_mark: ${title(view)} · ${view.title} is in the ERP now (ERP id \`${view.erp.erpId}\`).`) };
}
