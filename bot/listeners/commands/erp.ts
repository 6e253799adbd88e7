/** `/erp send|resend|retrieve|status|history|queue|help` — every answer is for the asker only. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { InvalidRequest } from '../../../domain/errors';
import { canApply, statusLabel } from '../../../domain/statuses';
import { resolveRef } from '../../../services/refs';
import type { ItemView } from '../../../services/item-view';
import type { BotDeps } from '../../deps';
import { refusalText } from '../../replies';
import { esc, slackDate, truncate } from '../../text';
import { itemEssentials, statusBlocks } from '../../views/item-blocks';
import { PER_LIST, queueBlocks } from '../../views/queue';
import { queueFor } from '../../queue';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const HELP = [
  '*ERP approvals* — `/erp <command>`',
  '• `send <ref>` — send an item to accounting for acceptance',
  '• `resend <ref>` — re-send an item after fixing what accounting rejected',
  '• `retrieve <ref>` — pull an item back from accounting to change it',
  '• `void <ref>` — a rejected commitment or change order that will not go to the ERP: out of every queue for good',
  '• `status <ref>` — where an item stands and what can be done',
  '• `history <ref>` — its change history',
  '• `queue` — what waits for you',
  'Refs are the item refs, e.g. `CO-7`; write `cco:CO-7` where two kinds of item share a ref.',
].join('\n');

/** What the asker can do now, and why not the rest (the seeds' greyed-out buttons with their tooltips). */
function availabilityBlocks(view: ItemView) {
  const possible = view.erp.availableActions;
  const lines = [possible.length > 0 ? `*You can now:* ${possible.join(', ')}` : '*Nothing you can do with it now.*'];
  // Actions the status rules out are not worth a line; the others say what stands in the way.
  const relevant = view.erp.unavailable.filter(({ action }) => canApply(view.erp.status, action));
  for (const { action, reasons } of relevant) lines.push(`• _${action}_: ${esc(truncate(reasons.join(' '), 300))}`);
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(lines.join('\n'), 2900) }] }];
}

function historyText(view: ItemView): string {
  if (view.history.length === 0) return `*${esc(view.ref)}* has no ERP history yet (${statusLabel(view.erp.status)}).`;
  const lines = view.history.map((e) => {
    const who = e.by ? ` by ${esc(e.by.name)}` : '';
    const why = e.reason ? ` — “${esc(e.reason)}”` : '';
    const what = e.message ? ` (${esc(e.message)})` : '';
    return `• ${slackDate(e.at)}: ${esc(e.action)}${who}${why}${what}`;
  });
  return [`*Change history of ${esc(view.ref)}*`, ...lines.slice(-30)].join('\n');
}

export function erpCommand(deps: BotDeps) {
  return async ({ ack, command, respond }: CommandArgs): Promise<void> => {
    await ack();
    const [verb = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const arg = rest.join(' ');
    const answer = (text: string, blocks?: unknown[]) => respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks: blocks as never } : {}) });
    try {
      switch (verb.toLowerCase()) {
        case 'help':
          await answer(HELP);
          return;
        case 'queue': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const queue = await queueFor(deps, userId, PER_LIST.message);
          await answer('What waits for you', queueBlocks(queue));
          return;
        }
        case 'send':
        case 'resend':
        case 'retrieve':
        case 'void': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          const action = verb.toLowerCase() as 'send' | 'resend' | 'retrieve' | 'void';
          const view = await deps.desk.act(action, type, ref, { by: userId });
          const said: Record<typeof action, string> = {
            send: 'with accounting now; the approvers have been told',
            resend: 'with accounting now; the approvers have been told',
            retrieve: 'retrieved from accounting; its locked fields can be edited again',
            void: 'voided: it has left every queue and will not be sent again',
          };
          await answer(`:white_check_mark: ${esc(ref)} is ${said[action]} (${view.erp.statusLabel}).`);
          return;
        }
        case 'status': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          const view = await deps.desk.view(type, ref, userId);
          await answer(`${esc(ref)} is ${view.erp.statusLabel}`, [...itemEssentials(view), ...statusBlocks(view).filter((b) => b.type !== 'actions'), ...availabilityBlocks(view)]);
          return;
        }
        case 'history': {
          await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          await answer(historyText(await deps.desk.view(type, ref)));
          return;
        }
        default:
          throw new InvalidRequest(`I don't know "${verb}". ${HELP}`);
      }
    } catch (err) {
      await answer(refusalText(err));
    }
  };
}

