/** What waits for someone: an approver's Ready to Export and Failed to Export items, a creator's rejections. */
import type { KnownBlock, View } from '@slack/types';
import { ITEM_TYPE_INFO, type ItemType } from '../../domain/item-types';
import { md, truncate } from '../text';
import { context, header, LIMITS, messageBlocks, messageText, section } from './blocks';
import { actionsAllowed } from '../../domain/actions';
import { DECISIONS, type ErpStatus, type ItemAction } from '../../domain/statuses';
import { actionButtons, actionsBlock, itemKey } from './buttons';

export interface QueueEntry {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string | null;
  detail?: string | null;
  amount?: string | null;
  snapshotHash?: string | null;
}

export interface QueueList {
  total: number;
  items: QueueEntry[];
}

export interface Queue {
  approver: boolean;
  /** Reads the company's lists and decides nothing: no buttons, no checkboxes. */
  auditor?: boolean;
  readyToExport: QueueList;
  failedToExport: QueueList;
  rejected: QueueList;
}

/** App Home's selection for a bulk accept: a checkbox per Ready to Export item, and the button that reads them. */
export const SELECT_ACTION = 'erp_select';
export const ACCEPT_SELECTED_ACTION = 'erp_accept_selected';

/** Slack allows 50 blocks in a message and 100 in App Home; each item takes two. */
export const PER_LIST = { message: 7, summary: 10, home: 15 } as const;

/**
 * One list: each entry with the buttons its status allows among `wanted` (an approver's decisions, a
 * creator's re-send). Every entry of a list has the list's status.
 */
function list(
  heading: string,
  { total, items: entries }: QueueList,
  status: ErpStatus,
  wanted: readonly ItemAction[],
  shown: number,
  selectable = false,
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`${heading} (${total})`)];
  if (total === 0) {
    blocks.push(context(md`Nothing here.`));
    return blocks;
  }
  for (const entry of entries.slice(0, shown)) {
    const amount = entry.amount ? md` · ${entry.amount}` : '';
    const snapshot = entry.snapshotHash ? md` · reviewed snapshot \`${entry.snapshotHash.slice(0, 12)}\`` : '';
    const label = md`${ITEM_TYPE_INFO[entry.type].label} *${entry.ref}* · ${truncate(entry.title ?? '', 80)}${amount} · project ${entry.projectRef}${snapshot}`;
    const text = section(entry.detail ? md`${label}\n_${truncate(entry.detail, 200)}_` : label);
    const key = itemKey(entry);
    blocks.push(
      selectable
        ? {
            ...text,
            accessory: {
              type: 'checkboxes',
              action_id: `${SELECT_ACTION}:${key}`,
              options: [{ text: { type: 'plain_text', text: 'Select' }, value: key }],
            },
          }
        : text,
    );
    // Action ids stay unique within a message (and within Slack's 255 characters): the item key goes in the value.
    blocks.push(...actionsBlock(actionButtons(entry, actionsAllowed(entry.type, status), wanted, `:${entry.type}:${entry.ref}`)));
  }
  if (total > Math.min(shown, entries.length)) {
    blocks.push(context(md`…and ${total - Math.min(shown, entries.length)} more. Use \`/erp status <ref>\` for any of them.`));
  }
  if (selectable) {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACCEPT_SELECTED_ACTION, text: { type: 'plain_text', text: 'Accept selected…' }, style: 'primary' },
      ],
    });
  }
  return blocks;
}

/** The lists of a queue; `selectable` (App Home) adds a checkbox to each Ready to Export item and an Accept selected button. */
export function queueBlocks(queue: Queue, shown: number = PER_LIST.message, selectable = false): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (queue.approver) {
    blocks.push(
      ...list('Ready to Export', queue.readyToExport, 'ReadyToExport', DECISIONS, shown, selectable && queue.readyToExport.total > 0),
      ...list('Failed to Export', queue.failedToExport, 'FailedToExport', DECISIONS, shown),
    );
  } else if (queue.auditor) {
    blocks.push(
      context(md`:mag: Read-only: everything waiting for accounting. \`/erp audit <from> <to>\` gives every move as a spreadsheet.`),
      ...list('Ready to Export, company-wide', queue.readyToExport, 'ReadyToExport', [], shown),
      ...list('Failed to Export, company-wide', queue.failedToExport, 'FailedToExport', [], shown),
    );
  }
  if (!(queue.approver || queue.auditor) || queue.rejected.total > 0) {
    blocks.push(...list('Rejected, waiting for your re-send', queue.rejected, 'Rejected', ['resend'], shown));
  }
  return blocks;
}

export function homeView(queue: Queue, name: string): View {
  return {
    type: 'home',
    blocks: [
      section(md`*ERP approvals* for ${name}`),
      ...queueBlocks(queue, PER_LIST.home, true),
      context(md`Type \`/erp help\` for commands.`),
    ].slice(0, LIMITS.homeBlocks),
  };
}

/** The daily summary an approver receives as a direct message. */
export function dailySummaryMessage(
  summary: { date: string; readyToExport: QueueList; failedToExport: QueueList },
  companyName: string,
): { text: string; blocks: KnownBlock[] } {
  const counts = `${summary.readyToExport.total} Ready to Export, ${summary.failedToExport.total} Failed to Export`;
  return {
    text: messageText(md`${companyName}: ERP Integrations Daily Summary for ${summary.date}: ${counts}`),
    blocks: messageBlocks([
      header(`ERP Integrations Daily Summary · ${summary.date}`),
      section(md`*${counts}* waiting for accounting at ${companyName}.`),
      ...queueBlocks(
        { approver: true, readyToExport: summary.readyToExport, failedToExport: summary.failedToExport, rejected: { total: 0, items: [] } },
        PER_LIST.summary,
      ),
    ]),
  };
}
