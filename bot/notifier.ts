/**
 * Delivers notices in Slack: the review request in the approvers' channel (posted once per round,
 * then updated in place after every change), the creator's direct messages on rejection and on sync.
 * Every notice is also recorded; a notice already delivered is not delivered again.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { turnOpened, type DailySummary, type Notice, type Notifier } from '../activities/types';
import { earlierReview, postedReview, savePostedReview, type RecordingNotifier } from '../store/notifications';
import { dailySummaryMessage } from './views/queue';
import { itemView, type ItemRules, type ItemView } from '../services/item-view';
import { loadItem } from '../store/items';
import type { Db } from '../store/prisma';
import type { SlackDirectory } from './directory';
import {
  channelRefusedNotice,
  rejectionNotice,
  reminderNotice,
  reminderThreadNotice,
  reviewMessage,
  supersededMessage,
  syncedNotice,
  turnNotice,
  turnThreadNotice,
  type SlackMessage,
} from './views/item-blocks';
import type { Person } from '../domain/items';
import { whomToAsk } from '../store/delegations';
import { joinMd, md, type Mrkdwn } from './text';

/** Where a round's review request was posted. */
interface PostedReview {
  channel: string;
  ts: string;
}

/** Slack's errors that say a channel will not take the bot's messages until someone acts: its code, else null. */
function channelRefusal(err: unknown): string | null {
  const code = (err as { code?: string; data?: { error?: string } }).data?.error;
  const refusals = ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'];
  return (err as { code?: string }).code === ErrorCode.PlatformError && code && refusals.includes(code) ? code : null;
}

export interface SlackNotifierDeps {
  db: Db;
  client: WebClient;
  directory: SlackDirectory;
  approversChannel: string;
  companyName: string;
  rules: ItemRules;
  /** Records every notice (the Notification table). */
  record: RecordingNotifier;
}

export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(notice: Notice): Promise<void> {
    const { db, record } = this.deps;
    const loaded = await loadItem(db, notice.item.type, notice.item.ref, { withRecords: true });
    const recorded = await record.record(notice, loaded.erp.id);
    if (recorded.deliveredAt) return;

    const view = await itemView(db, notice.item.type, notice.item.ref, this.deps.rules, { loaded });
    const posted = await this.showInChannel(view, loaded.erp.id, notice.round);
    const channel = posted?.channel ?? null;
    // A step's approvers are asked in the review request's thread when it is in its policy's own
    // channel, else directly; each once.
    const thread = posted && posted.channel === view.approvalPolicy?.slackChannel ? posted : null;
    const ask = { thread, erpRecordId: loaded.erp.id };
    const turn = turnOpened(notice);
    if (turn) {
      const escalation = notice.kind === 'escalated' ? { after: notice.after } : undefined;
      await this.ask(`${notice.eventKey}:turn`, turn.approvers, ask, {
        inThread: (mentions) => turnThreadNotice(view, turn.step, mentions, escalation),
        direct: (forWhom) => turnNotice(view, turn.step, channel, escalation, forWhom),
      });
    }
    if (notice.kind === 'reminder')
      await this.ask(notice.eventKey, notice.waitingFor, ask, {
        inThread: (mentions) => reminderThreadNotice(view, notice.step, mentions, notice.waitingSince),
        direct: (forWhom) => reminderNotice(view, notice.step, channel, notice.waitingSince, forWhom),
      });
    if (notice.kind === 'review-requested' && notice.resend)
      await this.markSuperseded(view, loaded.erp.id, notice.round, notice.previousRejection);
    if (notice.kind === 'rejected') {
      // The creator and whoever sent the round (seeds 000, 002): each person once, even across retries.
      const recipients = new Set([notice.item.creator.id, ...(view.erp.sentBy ? [view.erp.sentBy.id] : [])]);
      for (const userId of recipients)
        await this.directOnce(`${notice.eventKey}:rejected`, userId, loaded.erp.id, () => rejectionNotice(view, this.deps.companyName));
    }
    if (notice.kind === 'synced') await this.directMessage(notice.item.creator.id, syncedNotice(view));
    await record.delivered(recorded);
  }

  async dailySummary(summary: DailySummary): Promise<void> {
    const { record } = this.deps;
    const recorded = await record.recordSummary(summary);
    if (recorded.deliveredAt) return;
    await this.directMessage(summary.approver.id, dailySummaryMessage(summary, this.deps.companyName));
    await record.delivered(recorded);
  }

  /** One person's copy of a notice, sent once however often the notice is delivered again. */
  private async directOnce(noticeKey: string, userId: string, erpRecordId: number, message: () => SlackMessage): Promise<void> {
    const dm = await this.deps.record.recordDirect(noticeKey, userId, erpRecordId);
    if (dm.deliveredAt) return;
    await this.directMessage(userId, message());
    await this.deps.record.delivered(dm);
  }

  /**
   * Asks approvers for their decision (or their delegates, for them), once however often the notice is
   * delivered again: in the review request's thread, mentioned, when it is in its policy's own channel,
   * else each by direct message.
   */
  private async ask(
    noticeKey: string,
    approvers: readonly Person[],
    where: { thread: PostedReview | null; erpRecordId: number },
    message: { inThread: (mentions: Mrkdwn) => SlackMessage; direct: (forWhom?: Person) => SlackMessage },
  ): Promise<void> {
    const asked = await whomToAsk(this.deps.db, approvers);
    const { thread, erpRecordId } = where;
    if (!thread) {
      for (const { person, forWhom } of asked) await this.directOnce(noticeKey, person.id, erpRecordId, () => message.direct(forWhom));
      return;
    }
    const said = await this.deps.record.recordInChannel(noticeKey, thread.channel, erpRecordId);
    if (said.deliveredAt) return;
    const text = message.inThread(await this.mentions(asked));
    await this.deps.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, ...text, unfurl_links: false });
    await this.deps.record.delivered(said);
  }

  /** The people asked, as a channel message names them: a mention each (their name without a Slack account), and for whom a delegate is asked. */
  private async mentions(asked: readonly { person: Person; forWhom?: Person }[]): Promise<Mrkdwn> {
    const named = await Promise.all(
      asked.map(async ({ person, forWhom }) => {
        const slackId = await this.deps.directory.slackIdFor(person.id);
        const who = slackId ? md`<@${slackId}>` : md`${person.name}`;
        return forWhom ? md`${who} (for ${forWhom.name}, who is away)` : who;
      }),
    );
    return joinMd(named, ', ');
  }

  /**
   * Posts the round's review request, or updates it in place if it is already there; where it is. It
   * goes to its policy's channel when the policy names one, else to the approvers' channel; a policy's
   * channel that refuses it (the bot not invited, or no such channel) sends it to the approvers'
   * channel, with a note in its thread saying why.
   */
  private async showInChannel(view: ItemView, erpRecordId: number, round: number): Promise<PostedReview | null> {
    const { db, client, approversChannel } = this.deps;
    const message = reviewMessage(view);
    const posted = await postedReview(db, erpRecordId, round);
    if (posted) {
      await client.chat.update({ channel: posted.channel, ts: posted.ts, ...message });
      return posted;
    }
    const own = view.approvalPolicy?.slackChannel;
    let refused: string | null = null;
    let result: { ts?: string; channel?: string } | null = null;
    if (own) {
      try {
        result = await client.chat.postMessage({ channel: own, ...message, unfurl_links: false });
      } catch (err) {
        refused = channelRefusal(err);
        if (!refused) throw err;
      }
    }
    result ??= await client.chat.postMessage({ channel: approversChannel, ...message, unfurl_links: false });
    if (!result.ts || !result.channel) return null;
    const saved = { channel: result.channel, ts: result.ts };
    await savePostedReview(db, { erpRecordId, round, ...saved });
    if (own && refused)
      await client.chat.postMessage({ channel: saved.channel, thread_ts: saved.ts, ...channelRefusedNotice(own, refused) });
    return saved;
  }

  /** The previous round's request stays in the channel's history; it says where the item went. */
  private async markSuperseded(view: ItemView, erpRecordId: number, round: number, previousRejection: string | null): Promise<void> {
    const { db, client } = this.deps;
    const previous = await earlierReview(db, erpRecordId, round);
    if (previous)
      await client.chat.update({ channel: previous.channel, ts: previous.ts, ...supersededMessage(view, round, previousRejection) });
  }

  private async directMessage(userId: string, message: { text: string; blocks?: unknown[] }): Promise<void> {
    const slackId = await this.deps.directory.slackIdFor(userId);
    if (!slackId) return; // No Slack account: the notice stays recorded for other channels.
    await this.deps.client.chat.postMessage({
      channel: slackId,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
    });
  }
}
