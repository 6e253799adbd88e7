import { type Prisma } from '@prisma/client';
import type { Db } from '../store/prisma';
import { audienceOf, type DailySummary, type Notice } from './types';

/** Tells people what happened to an item. The Slack bot provides one; delivery must be idempotent on `eventKey`. */
export interface Notifier {
  deliver(notice: Notice): Promise<void>;
  dailySummary(summary: DailySummary): Promise<void>;
}

export interface RecordedNotice {
  id: number;
  deliveredAt: Date | null;
}

/**
 * Writes each notice once to the `Notification` table: the record of who was told what, and the
 * inbox a delivery channel can work from.
 */
export class RecordingNotifier implements Notifier {
  constructor(private readonly db: Db) {}

  async deliver(notice: Notice): Promise<void> {
    const record = await this.db.erpRecord.findUnique({
      where: { itemType_itemRef: { itemType: notice.item.type, itemRef: notice.item.ref } },
      select: { id: true },
    });
    if (record) await this.record(notice, record.id);
  }

  /** Writes the notice once; answers with its record, which says whether a channel has delivered it. */
  record(notice: Notice, erpRecordId: number): Promise<RecordedNotice> {
    const audience = audienceOf(notice);
    return this.writeOnce({
      eventKey: `${notice.eventKey}:${notice.kind}`,
      kind: notice.kind,
      audience,
      recipientId: audience === 'creator' ? notice.item.creator.id : null,
      erpRecordId,
      payload: notice as unknown as Prisma.InputJsonObject,
    });
  }

  /** One person's copy of a notice (a direct message), recorded so each person gets it once. */
  recordDirect(noticeKey: string, recipientId: string, erpRecordId: number): Promise<RecordedNotice> {
    return this.writeOnce({
      eventKey: `${noticeKey}:to:${recipientId}`,
      kind: 'direct-message',
      audience: 'person',
      recipientId,
      erpRecordId,
      payload: { notice: noticeKey },
    });
  }

  /** Notes that a channel delivered the notice, so a retried delivery does not repeat it. */
  async delivered(recorded: RecordedNotice): Promise<void> {
    await this.db.notification.update({ where: { id: recorded.id }, data: { deliveredAt: new Date() } });
  }

  async dailySummary(summary: DailySummary): Promise<void> {
    await this.recordSummary(summary);
  }

  recordSummary(summary: DailySummary): Promise<RecordedNotice> {
    return this.writeOnce({
      eventKey: summary.eventKey,
      kind: 'daily-summary',
      audience: 'approver',
      recipientId: summary.approver.id,
      payload: summary as unknown as Prisma.InputJsonObject,
    });
  }

  private writeOnce(notification: Prisma.NotificationUncheckedCreateInput): Promise<RecordedNotice> {
    return this.db.notification.upsert({
      where: { eventKey: notification.eventKey },
      update: {},
      create: notification,
      select: { id: true, deliveredAt: true },
    });
  }
}
