import { Prisma } from '@prisma/client';
import type { Db } from '../store/prisma';
import { audienceOf, type DailySummary, type Notice } from './types';

/** Tells people what happened to an item. The Slack bot provides one; delivery must be idempotent on `eventKey`. */
export interface Notifier {
  deliver(notice: Notice): Promise<void>;
  dailySummary(summary: DailySummary): Promise<void>;
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
    if (!record) return;
    const audience = audienceOf(notice);
    await this.db.notification.upsert({
      where: { eventKey: `${notice.eventKey}:${notice.kind}` },
      update: {},
      create: {
        eventKey: `${notice.eventKey}:${notice.kind}`,
        kind: notice.kind,
        audience,
        recipientId: audience === 'creator' ? notice.item.creator.id : null,
        erpRecordId: record.id,
        payload: notice as unknown as Prisma.InputJsonObject,
      },
    });
  }

  async dailySummary(summary: DailySummary): Promise<void> {
    await this.db.notification.upsert({
      where: { eventKey: summary.eventKey },
      update: {},
      create: {
        eventKey: summary.eventKey,
        kind: 'daily-summary',
        audience: 'approver',
        recipientId: summary.approver.id,
        payload: summary as unknown as Prisma.InputJsonObject,
      },
    });
  }
}
