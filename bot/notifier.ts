/**
 * Delivers notices in Slack: the review request in the approvers' channel (posted once per round,
 * then updated in place after every change), the creator's direct messages on rejection and on sync.
 * Every notice is also recorded; a notice already delivered is not delivered again.
 */
import type { WebClient } from '@slack/web-api';
import type { Notifier } from '../activities/notifier';
import type { DailySummary, Notice } from '../activities/types';
import { dailySummaryMessage } from './views/queue';
import { itemView, type ItemView } from '../services/item-view';
import type { Db } from '../store/prisma';
import type { SlackDirectory } from './directory';
import { rejectionNotice, reviewMessage, supersededMessage, syncedNotice } from './views/item-blocks';

export interface SlackNotifierDeps {
  db: Db;
  client: WebClient;
  directory: SlackDirectory;
  approversChannel: string;
  companyName: string;
  /** Records every notice (the Notification table). */
  record: Notifier;
}

export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(notice: Notice): Promise<void> {
    const { db, record } = this.deps;
    await record.deliver(notice);
    const key = `${notice.eventKey}:${notice.kind}`;
    const recorded = await db.notification.findUnique({ where: { eventKey: key } });
    if (recorded?.deliveredAt) return;

    const view = await itemView(db, notice.item.type, notice.item.ref);
    await this.showInChannel(view, notice.round);
    if (notice.kind === 'review-requested' && notice.resend) await this.markSuperseded(view, notice.round, notice.previousRejection);
    if (notice.kind === 'rejected') await this.directMessage(notice.item.creator.id, rejectionNotice(view, this.deps.companyName));
    if (notice.kind === 'synced') await this.directMessage(notice.item.creator.id, syncedNotice(view));

    if (recorded) await db.notification.update({ where: { id: recorded.id }, data: { deliveredAt: new Date() } });
  }

  async dailySummary(summary: DailySummary): Promise<void> {
    const { db, record } = this.deps;
    await record.dailySummary(summary);
    const recorded = await db.notification.findUnique({ where: { eventKey: summary.eventKey } });
    if (recorded?.deliveredAt) return;
    await this.directMessage(summary.approver.id, dailySummaryMessage(summary, this.deps.companyName));
    if (recorded) await db.notification.update({ where: { id: recorded.id }, data: { deliveredAt: new Date() } });
  }

  /** Posts the round's review request, or updates it in place if it is already there. */
  private async showInChannel(view: ItemView, round: number): Promise<void> {
    const { db, client, approversChannel } = this.deps;
    const record = await db.erpRecord.findUniqueOrThrow({ where: { itemType_itemRef: { itemType: view.type, itemRef: view.ref } } });
    const message = reviewMessage(view);
    const posted = await db.slackMessage.findUnique({ where: { erpRecordId_round: { erpRecordId: record.id, round } } });
    if (posted) {
      await client.chat.update({ channel: posted.channel, ts: posted.ts, ...message });
      return;
    }
    const result = await client.chat.postMessage({ channel: approversChannel, ...message, unfurl_links: false });
    if (result.ts && result.channel) {
      await db.slackMessage.create({ data: { erpRecordId: record.id, round, channel: result.channel, ts: result.ts } });
    }
  }

  /** The previous round's request stays in the channel's history; it says where the item went. */
  private async markSuperseded(view: ItemView, round: number, previousRejection: string | null): Promise<void> {
    const { db, client } = this.deps;
    const previous = await db.slackMessage.findFirst({
      where: { round: { lt: round }, erpRecord: { itemType: view.type, itemRef: view.ref } },
      orderBy: { round: 'desc' },
    });
    if (previous) await client.chat.update({ channel: previous.channel, ts: previous.ts, ...supersededMessage(view, round, previousRejection) });
  }

  private async directMessage(userId: string, message: { text: string; blocks?: unknown[] }): Promise<void> {
    const slackId = await this.deps.directory.slackIdFor(userId);
    if (!slackId) return; // No Slack account: the notice stays recorded for other channels.
    await this.deps.client.chat.postMessage({ channel: slackId, text: message.text, ...(message.blocks ? { blocks: message.blocks as never } : {}) });
  }
}
