/** `/erp send|resend|retrieve|status|history|queue|help` — every answer is for the asker only. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { InvalidRequest } from '../../../domain/errors';
import { actionsAvailable, statusLabel } from '../../../domain/statuses';
import { resolveRef } from '../../../services/refs';
import type { ItemView } from '../../../services/item-view';
import type { BotDeps } from '../../deps';
import { refusalText } from '../../replies';
import { esc, slackDate } from '../../text';
import { itemEssentials, statusBlocks } from '../../views/item-blocks';
import { PER_LIST, queueBlocks } from '../../views/queue';
import { queueFor } from '../../queue';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const HELP = [
  '*ERP approvals* — `/erp <command>`',
  '• `send <ref>` — send an item to accounting for acceptance',
  '• `resend <ref>` — re-send an item after fixing what accounting rejected',
  '• `retrieve <ref>` — pull an item back from accounting to change it',
  '• `status <ref>` — where an item stands and what can be done',
  '• `history <ref>` — its change history',
  '• `queue` — what waits for you',
  'Refs are the item refs, e.g. `CO-7`; write `cco:CO-7` where two kinds of item share a ref.',
].join('\n');

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
        case 'retrieve': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          const view =
            verb === 'send' ? await deps.desk.send(type, ref, userId)
            : verb === 'resend' ? await deps.desk.resend(type, ref, userId)
            : await deps.desk.retrieve(type, ref, { by: userId });
          const said = verb === 'retrieve' ? 'retrieved from accounting; its locked fields can be edited again' : 'with accounting now; the approvers have been told';
          await answer(`:white_check_mark: ${esc(ref)} is ${said} (${view.erp.statusLabel}).`);
          return;
        }
        case 'status': {
          await deps.directory.userIdFor(command.user_id);
          const { type, ref } = await resolveRef(deps.db, arg);
          const view = await deps.desk.view(type, ref);
          const next = actionsAvailable(view.erp.status);
          const hint = { type: 'context', elements: [{ type: 'mrkdwn', text: next.length > 0 ? `Possible now: ${next.join(', ')}` : 'Nothing to do: the round is over.' }] };
          await answer(`${ref} is ${view.erp.statusLabel}`, [...itemEssentials(view), ...statusBlocks(view).filter((b) => b.type !== 'actions'), hint]);
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

