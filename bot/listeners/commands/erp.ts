/** `/erp send|resend|retrieve|status|history|queue|help` — every answer is for the asker only. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { canApply, statusLabel } from '../../../domain/statuses';
import { resolveRef } from '../../../store/refs';
import type { ItemView } from '../../../services/item-view';
import type { BotDeps } from '../../deps';
import { refusalText } from '../../replies';
import { joinMd, md, slackDate, truncate, type Mrkdwn } from '../../text';
import { context, messageBlocks, messageText } from '../../views/blocks';
import { itemEssentials, statusBlocks } from '../../views/item-blocks';
import { PER_LIST, queueBlocks } from '../../views/queue';
import { queueFor } from '../../queue';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const HELP = md`*ERP approvals* — \`/erp <command>\`
• \`send <ref>\` — send an item to accounting for acceptance
• \`resend <ref>\` — re-send an item after fixing what accounting rejected
• \`retrieve <ref>\` — pull an item back from accounting to change it
• \`void <ref>\` — a rejected commitment or change order that will not go to the ERP: out of every queue for good
• \`status <ref>\` — where an item stands and what can be done
• \`history <ref>\` — its change history
• \`queue\` — what waits for you
Refs are the item refs, e.g. \`CO-7\`; write \`cco:CO-7\` where two kinds of item share a ref.`;

/** What the asker can do now, and why not the rest (the seeds' greyed-out buttons with their tooltips). */
function availabilityBlocks(view: ItemView) {
  const possible = view.erp.availableActions;
  const lines = [possible.length > 0 ? md`*You can now:* ${possible.join(', ')}` : md`*Nothing you can do with it now.*`];
  // Actions the status rules out are not worth a line; the others say what stands in the way.
  const relevant = view.erp.unavailable.filter(({ action }) => canApply(view.erp.status, action));
  for (const { action, reasons } of relevant) lines.push(md`• _${action}_: ${truncate(reasons.join(' '), 300)}`);
  return [context(joinMd(lines, '\n'))];
}

function historyText(view: ItemView): Mrkdwn {
  if (view.history.length === 0) return md`*${view.ref}* has no ERP history yet (${statusLabel(view.erp.status)}).`;
  const lines = view.history.map((e) => {
    const who = e.by ? md` by ${e.by.name}` : '';
    const why = e.reason ? md` — “${truncate(e.reason, 300)}”` : '';
    const what = e.message ? md` (${truncate(e.message, 300)})` : '';
    return md`• ${slackDate(e.at)}: ${e.action}${who}${why}${what}`;
  });
  // The latest entries that fit in one message; the full history is in the API and `npm run ops -- status`.
  const shown: Mrkdwn[] = [];
  let length = 0;
  for (const line of lines.reverse()) {
    if (shown.length === 30 || length + line.text.length > 2800) break;
    shown.unshift(line);
    length += line.text.length + 1;
  }
  return md`*Change history of ${view.ref}*\n${joinMd(shown, '\n')}`;
}

export function erpCommand(deps: BotDeps) {
  return async ({ ack, command, respond }: CommandArgs): Promise<void> => {
    await ack();
    const [verb = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const arg = rest.join(' ');
    const answer = (text: Mrkdwn, blocks?: KnownBlock[]) =>
      respond({ response_type: 'ephemeral', text: messageText(text), ...(blocks ? { blocks: messageBlocks(blocks) } : {}) });
    try {
      switch (verb.toLowerCase()) {
        case 'help':
          await answer(HELP);
          return;
        case 'queue': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const queue = await queueFor(deps, await deps.desk.actor(userId), PER_LIST.message);
          await answer(md`What waits for you`, queueBlocks(queue));
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
          await answer(md`:white_check_mark: ${ref} is ${said[action]} (${view.erp.statusLabel}).`);
          return;
        }
        case 'status': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          const view = await deps.desk.view(type, ref, userId);
          await answer(md`${ref} is ${view.erp.statusLabel}`, [
            ...itemEssentials(view),
            ...statusBlocks(view).filter((b) => b.type !== 'actions'),
            ...availabilityBlocks(view),
          ]);
          return;
        }
        case 'history': {
          await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          await answer(historyText(await deps.desk.view(type, ref)));
          return;
        }
        default:
          await answer(md`I don't know "${truncate(verb, 40)}". ${HELP}`);
          return;
      }
    } catch (err) {
      await answer(refusalText(err));
    }
  };
}
