/**
 * Notices as written down: each once in the `Notification` table (who was told what, and whether a
 * channel has delivered it), and the Slack messages a round's review request was posted as.
 */
import { type Prisma } from '../generated/prisma';
import { audienceOf, type DailySummary, type Notice, type Notifier } from '../activities/types';
import { recordIdOf } from './items';
import type { Db } from './prisma';

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
    const erpRecordId = await recordIdOf(this.db, notice.item.type, notice.item.ref);
    if (erpRecordId !== null) await this.record(notice, erpRecordId);
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
    return this.recordCopy(`${noticeKey}:to:${recipientId}`, noticeKey, {
      kind: 'direct-message',
      audience: 'person',
      recipientId,
      erpRecordId,
    });
  }

  /** A notice said in a channel (in a review request's thread), recorded so it is said there once. */
  recordInChannel(noticeKey: string, channel: string, erpRecordId: number): Promise<RecordedNotice> {
    return this.recordCopy(`${noticeKey}:in:${channel}`, noticeKey, {
      kind: 'channel-message',
      audience: 'channel',
      recipientId: channel,
      erpRecordId,
    });
  }

  /** One person's email of a notice, recorded so each person gets it once. */
  recordEmail(noticeKey: string, recipientId: string, erpRecordId: number | null): Promise<RecordedNotice> {
    return this.recordCopy(`${noticeKey}:email:to:${recipientId}`, noticeKey, {
      kind: 'email',
      audience: 'person',
      recipientId,
      erpRecordId,
    });
  }

  /** One copy of a notice (to a person or a channel, by one means), written once under `eventKey`. */
  private recordCopy(
    eventKey: string,
    noticeKey: string,
    copy: { kind: string; audience: string; recipientId: string; erpRecordId: number | null },
  ): Promise<RecordedNotice> {
    return this.writeOnce({ eventKey, ...copy, payload: { notice: noticeKey } });
  }

  /** Notes that a channel refused the notice for good (an address the mail server does not know): not tried again. */
  async failed(recorded: RecordedNotice, reason: string): Promise<void> {
    await this.db.notification.update({ where: { id: recorded.id }, data: { deliveredAt: new Date(), payload: { refused: reason } } });
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

  /** One insert; a notice written before (a retried delivery) is read back instead. */
  private async writeOnce(notification: Prisma.NotificationCreateManyInput): Promise<RecordedNotice> {
    const [created] = await this.db.notification.createManyAndReturn({
      data: [notification],
      skipDuplicates: true,
      select: { id: true, deliveredAt: true },
    });
    return (
      created ??
      this.db.notification.findUniqueOrThrow({ where: { eventKey: notification.eventKey }, select: { id: true, deliveredAt: true } })
    );
  }
}

/** Where a round's review request was posted in Slack, if it was. */
export function postedReview(db: Db, erpRecordId: number, round: number) {
  return db.slackMessage.findUnique({ where: { erpRecordId_round: { erpRecordId, round } } });
}

/** The latest earlier round's review request, if one was posted. */
export function earlierReview(db: Db, erpRecordId: number, round: number) {
  return db.slackMessage.findFirst({ where: { erpRecordId, round: { lt: round } }, orderBy: { round: 'desc' } });
}

export async function savePostedReview(db: Db, posted: { erpRecordId: number; round: number; channel: string; ts: string }): Promise<void> {
  await db.slackMessage.create({ data: posted });
}
