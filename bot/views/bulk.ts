/** What came of accepting several items at once: a line per item, refusals with their reasons. */
import type { KnownBlock } from '@slack/types';
import { statusLabel } from '../../domain/statuses';
import type { BulkResult } from '../../services/approval-desk';
import { joinMd, md, truncate, type Mrkdwn } from '../text';
import { section } from './blocks';

/** One line of the answer: an item's result, or a typed ref that names no item. */
export type BulkLine = BulkResult | { ref: string; outcome: 'refused'; error: string; message: string };

/** Lines per section: a section holds 3,000 characters, and a message 50 blocks (room for 200 items). */
const LINES_PER_BLOCK = 8;

function line(result: BulkLine): Mrkdwn {
  switch (result.outcome) {
    case 'accepted':
      return md`:white_check_mark: *${result.ref}* accepted: ${statusLabel(result.status)}`;
    case 'approved':
      return md`:white_check_mark: *${result.ref}* approved at its step: it waits for the next step's approvers`;
    default:
      return md`:no_entry: *${result.ref}*: ${truncate(result.message, 280)}`;
  }
}

/** "Accepted 3 of 5: 2 refused." */
export function bulkSummary(results: readonly BulkLine[]): Mrkdwn {
  const done = results.filter((r) => r.outcome === 'accepted' || r.outcome === 'approved').length;
  const refused = results.length - done;
  return md`Accepted ${done} of ${results.length}${refused > 0 ? md`: ${refused} not accepted (below, with why)` : ''}.`;
}

export function bulkBlocks(results: readonly BulkLine[]): KnownBlock[] {
  const blocks: KnownBlock[] = [section(md`*${bulkSummary(results)}*`)];
  for (let start = 0; start < results.length; start += LINES_PER_BLOCK)
    blocks.push(section(joinMd(results.slice(start, start + LINES_PER_BLOCK).map(line), '\n')));
  return blocks;
}
