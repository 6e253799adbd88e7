/**
 * Delivers notices in Slack: the review request in the approvers' channel (posted once per round,
 * then updated in place after every change), the creator's direct messages on rejection and on sync.
 * Every notice is also recorded; a notice already delivered is not delivered again.
 */
import type { WebClient } from '@slack/web-api';
import type { DailySummary, Notice, Notifier } from '../activities/types';
import { earlierReview, postedReview, savePostedReview, type RecordingNotifier } from '../store/notifications';
import { dailySummaryMessage } from './views/queue';
import { itemView, type ItemRules, type ItemView } from '../services/item-view';
import { loadItem } from '../store/items';
import type { Db } from '../store/prisma';
import type { SlackDirectory } from './directory';
import { rejectionNotice, reviewMessage, supersededMessage, syncedNotice } from './views/item-blocks';

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
    await this.showInChannel(view, loaded.erp.id, notice.round);
    if (notice.kind === 'review-requested' && notice.resend)
      await this.markSuperseded(view, loaded.erp.id, notice.round, notice.previousRejection);
    if (notice.kind === 'rejected') {
      // The creator and whoever sent the round (seeds 000, 002): each person once, even across retries.
      const recipients = new Set([notice.item.creator.id, ...(view.erp.sentBy ? [view.erp.sentBy.id] : [])]);
      for (const userId of recipients) {
        const dm = await record.recordDirect(`${notice.eventKey}:rejected`, userId, loaded.erp.id);
        if (dm.deliveredAt) continue;
        await this.directMessage(userId, rejectionNotice(view, this.deps.companyName));
        await record.delivered(dm);
      }
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

  /** Posts the round's review request, or updates it in place if it is already there. */
  private async showInChannel(view: ItemView, erpRecordId: number, round: number): Promise<void> {
    const { db, client, approversChannel } = this.deps;
    const message = reviewMessage(view);
    const posted = await postedReview(db, erpRecordId, round);
    if (posted) {
      await client.chat.update({ channel: posted.channel, ts: posted.ts, ...message });
      return;
    }
    const result = await client.chat.postMessage({ channel: approversChannel, ...message, unfurl_links: false });
    if (result.ts && result.channel) {
      await savePostedReview(db, { erpRecordId, round, channel: result.channel, ts: result.ts });
    }
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
