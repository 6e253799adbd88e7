/** `/erp send|resend|retrieve|void|status|history|queue|accept|audit|away|back|help` — every answer is for the asker only. */
import { companyZone } from '../../../domain/erp-profiles/profile';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { canApply, statusLabel } from '../../../domain/statuses';
import { deciderWords } from '../../../domain/items';
import { DelegationBody } from '../../../domain/intake';
import { deleteDelegation, putDelegation } from '../../../store/delegations';
import { userByEmail } from '../../../store/users';
import { resolveRef } from '../../../store/refs';
import type { ItemView } from '../../../services/item-view';
import type { BotDeps } from '../../deps';
import { refusalText } from '../../replies';
import { joinMd, md, slackDate, truncate, type Mrkdwn } from '../../text';
import { context, messageBlocks, messageText } from '../../views/blocks';
import { itemEssentials, statusBlocks } from '../../views/item-blocks';
import { PER_LIST, queueBlocks } from '../../views/queue';
import { queueFor } from '../../queue';
import { DomainError } from '../../../domain/errors';
import { noteProblem } from '../../../domain/text';
import { BULK_MAX } from '../../../domain/actions';
import { bulkBlocks, bulkSummary, type BulkLine } from '../../views/bulk';
import { assertMayAudit } from '../../../domain/permissions';
import { AuditPeriod, assertPeriod } from '../../../domain/audit';
import { writeAuditFile } from '../../../services/audit';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const HELP = md`*ERP approvals* — \`/erp <command>\`
• \`send <ref>\` — send an item to accounting for acceptance
• \`resend <ref>\` — re-send an item after fixing what accounting rejected
• \`retrieve <ref>\` — pull an item back from accounting to change it
• \`void <ref>\` — a rejected commitment or change order that will not go to the ERP: out of every queue for good
• \`status <ref>\` — where an item stands and what can be done
• \`history <ref>\` — its change history
• \`queue\` — what waits for you
• \`accept <ref> <ref> … [-- note]\` — accept several items at once (approvers), each on its own: one refused does not stop the others
• \`audit <from> <to>\` — every move of every item between two dates (YYYY-MM-DD, both included) as a spreadsheet, sent to you (auditors and approvers)
• \`away <from> <until> @someone\` — out of office (dates YYYY-MM-DD, both included): your requests go to them, who decide on your behalf
• \`back\` — end your out of office
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
    const who = e.by ? md` by ${deciderWords(e.by, e.onBehalfOf)}` : '';
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

/**
 * The directory user a delegate is named as: a mention (Slack escapes it as <@U123|name>) or an email
 * (bare, or escaped as <mailto:…|…>). Null when nobody matches.
 */
async function delegateId(deps: BotDeps, who: string): Promise<string | null> {
  const slackId = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(who)?.[1];
  if (slackId) return deps.directory.userIdFor(slackId).catch(() => null);
  const email = /^(?:<mailto:[^|>]+\|)?([^\s<>|@]+@[^\s<>|@]+?)>?$/.exec(who)?.[1];
  return email ? ((await userByEmail(deps.db, email.toLowerCase()))?.id ?? null) : null;
}

/** `CO-1 CO-2 -- the note`: the refs, and the note after `--` (or the dash a client may turn it into). */
function bulkArguments(words: readonly string[]): { refs: string[]; description?: string } {
  const cut = words.findIndex((word) => word === '--' || word === '—' || word === '–');
  const refs = (cut < 0 ? words : words.slice(0, cut)).map((word) => word.replace(/,$/, '')).filter(Boolean);
  const note =
    cut < 0
      ? ''
      : words
          .slice(cut + 1)
          .join(' ')
          .trim();
  return { refs, ...(note ? { description: note } : {}) };
}

/**
 * Each typed ref found (or refused as naming no item), then the found ones accepted, each on its own:
 * one line per ref in the order typed, a ref typed twice answered once.
 */
async function acceptRefs(deps: BotDeps, userId: string, typed: readonly string[], description?: string): Promise<BulkLine[]> {
  const unknown = (text: string) => (err: unknown) => {
    if (!(err instanceof DomainError)) throw err;
    return { ref: text, outcome: 'refused' as const, error: err.code, message: err.message };
  };
  const found = await Promise.all(typed.map((text) => resolveRef(deps.db, text).catch(unknown(text))));
  const items = found.filter((item) => 'type' in item);
  const decided = await deps.desk.acceptMany(items, { by: userId, ...(description ? { description } : {}) });
  const byKey = new Map(
    decided.filter((result) => result.duplicateOf === undefined).map((result) => [`${result.type}:${result.ref}`, result]),
  );
  const lines = new Map(
    found.map((item): [string, BulkLine] =>
      'type' in item ? [`${item.type}:${item.ref}`, byKey.get(`${item.type}:${item.ref}`)!] : [item.ref, item],
    ),
  );
  return [...lines.values()];
}

/** `/erp audit <from> <to>`: the CSV export, uploaded to the asker in a direct message. */
async function auditCommand(
  deps: BotDeps,
  { command, client }: CommandArgs,
  words: readonly string[],
  answer: (text: Mrkdwn) => Promise<unknown>,
) {
  const actor = await deps.desk.actor(await deps.directory.userIdFor(command.user_id));
  assertMayAudit(actor);
  const period = AuditPeriod.safeParse({ from: words[0], to: words[1] });
  if (words.length !== 2 || !period.success) {
    const problems = period.success ? [] : period.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    await answer(
      md`Write \`/erp audit <from> <to>\` with two dates, both included, e.g. \`/erp audit 2026-01-01 2026-12-31\`.${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`,
    );
    return;
  }
  const { from, to } = period.data;
  assertPeriod(period.data);
  await answer(md`:hourglass_flowing_sand: Writing the audit export from ${from} to ${to}…`);
  const written = await writeAuditFile(deps.db, { from, to, format: 'csv' }, companyZone(deps.desk.rules.settings));
  try {
    // To the asker alone: a direct message, never the channel the command was typed in.
    const opened = await client.conversations.open({ users: command.user_id });
    await client.filesUploadV2({
      channel_id: opened.channel!.id!,
      file: written.file,
      filename: written.filename,
      title: `ERP audit ${from} to ${to}`,
      initial_comment: `Every move of every item from ${from} to ${to} (both included, ${companyZone(deps.desk.rules.settings)}): ${written.count} entries.`,
    });
  } finally {
    await written.remove();
  }
  await answer(
    md`:white_check_mark: The audit export from ${from} to ${to} (${written.count} entries) is in your direct messages with me.`,
  );
}

export function erpCommand(deps: BotDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const { ack, command, respond } = args;
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
        case 'audit':
          await auditCommand(deps, args, rest, answer);
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
        case 'accept': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const { refs, description } = bulkArguments(rest);
          if (refs.length === 0 || refs.length > BULK_MAX) {
            await answer(md`Write \`/erp accept CO-1 CO-2 …\` (at most ${BULK_MAX} refs), with an optional note after \`--\`.`);
            return;
          }
          const noteRefusal = description === undefined ? undefined : noteProblem(description);
          if (noteRefusal) {
            await answer(md`:no_entry: ${noteRefusal}`);
            return;
          }
          await answer(md`:hourglass_flowing_sand: Accepting ${refs.length} item${refs.length === 1 ? '' : 's'}…`);
          const results = await acceptRefs(deps, userId, refs, description);
          await answer(bulkSummary(results), bulkBlocks(results));
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
        case 'away': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const [from = '', until = '', who = ''] = rest;
          if (rest.length !== 3) {
            await answer(
              md`Write \`/erp away <from> <until> @someone\`, e.g. \`/erp away 2026-12-21 2026-12-31 @Sam\`, mentioning (or giving the email of) the person who decides in your place.`,
            );
            return;
          }
          const to = await delegateId(deps, who);
          if (!to) {
            await answer(md`:no_entry: I can't find ${who} in the company directory: mention them (@name) or give their email.`);
            return;
          }
          const body = DelegationBody.safeParse({ to, from, until });
          if (!body.success) {
            await answer(md`:no_entry: ${body.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
            return;
          }
          const delegation = await putDelegation(deps.db, userId, body.data);
          await answer(
            md`:palm_tree: You are away from ${delegation.from} to ${delegation.until} (both included): requests for your approval go to ${delegation.to.name}, who decides on your behalf. \`/erp back\` ends it.`,
          );
          return;
        }
        case 'back': {
          const userId = await deps.directory.userIdFor(command.user_id);
          const ended = await deleteDelegation(deps.db, userId);
          await answer(ended ? md`:wave: Welcome back: requests for your approval come to you again.` : md`You were not marked away.`);
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
