/**
 * Notices by email, beside Slack: people without a Slack account (or everyone, NOTIFY_EMAIL=always)
 * get the rejection, the synced notice, the review requests and reminders of their step, failed
 * exports (approvers), and the daily summary. Each person's email is written down before it is sent and marked once sent, so a
 * retried delivery sends nothing twice; a mail server that cannot take it now fails the delivery,
 * which Temporal retries like a Slack outage.
 */
import { companyZone } from '../domain/erp-profiles/profile';
import nodemailer from 'nodemailer';
import { turnOpened, type DailySummary, type Notice, type Notifier } from '../activities/types';
import type { Person } from '../domain/items';
import { isAccountingApprover } from '../domain/permissions';
import { itemView, type ItemRules, type ItemView } from '../services/item-view';
import { whomToAsk } from '../store/delegations';
import { loadItem } from '../store/items';
import type { RecordingNotifier } from '../store/notifications';
import type { Db } from '../store/prisma';
import { accountingCandidates, userById } from '../store/users';
import {
  dailySummaryEmail,
  exportFailedEmail,
  rejectionEmail,
  reviewRequestEmail,
  syncedEmail,
  type Email,
  type ReviewReason,
} from './messages';

/** Sends one email; rejects when the server did not take it. */
export interface Mailer {
  send(to: { name: string; address: string }, email: Email): Promise<void>;
}

/** A mailer on an SMTP server (`smtp://user:pass@host:587`, STARTTLS when offered; `smtps://` for TLS from the start). */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(to, email) {
      await transport.sendMail({
        from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        // No out-of-office replies to a notice (RFC 3834).
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}

export interface EmailNotifierDeps {
  db: Db;
  /** Slack delivery, or only the record where Slack is not set up. */
  inner: Notifier;
  record: RecordingNotifier;
  mailer: Mailer;
  companyName: string;
  rules: ItemRules;
  /** Whether a person gets notices in Slack; null when Slack is not set up (nobody does). */
  inSlack: ((user: { id: string; email: string; slackId: string | null }) => Promise<boolean>) | null;
  /** Everyone gets email, Slack or not (NOTIFY_EMAIL=always). */
  always: boolean;
}

/** An SMTP answer that will not change by trying again: the address or the message is refused (5xx). */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

interface Recipient {
  person: Person;
  forWhom?: Person;
}

export class EmailNotifier implements Notifier {
  constructor(private readonly deps: EmailNotifierDeps) {}

  /** Slack and email each on their own: a Slack outage does not hold back the emails, nor the other way round. */
  async deliver(notice: Notice): Promise<void> {
    await both(this.deps.inner.deliver(notice), this.emailNotice(notice));
  }

  async dailySummary(summary: DailySummary): Promise<void> {
    await both(
      this.deps.inner.dailySummary(summary),
      this.emailOnce(summary.eventKey, { person: summary.approver }, null, () => dailySummaryEmail(summary, this.deps.companyName)),
    );
  }

  private async emailNotice(notice: Notice): Promise<void> {
    const { db, rules, companyName } = this.deps;
    const loaded = await loadItem(db, notice.item.type, notice.item.ref, { withRecords: true });
    const view = await itemView(db, notice.item.type, notice.item.ref, rules, { loaded });
    const timeZone = companyZone(rules.settings);
    const key = `${notice.eventKey}:${notice.kind}`;
    const erpRecordId = loaded.erp.id;
    const send = async (people: Recipient[], message: (to: Recipient) => Email) => {
      for (const to of people) await this.emailOnce(key, to, erpRecordId, () => message(to));
    };

    if (notice.kind === 'rejected') {
      // The creator and whoever sent the round, each once: as in Slack.
      const people = new Map([[notice.item.creator.id, notice.item.creator]]);
      if (view.erp.sentBy) people.set(view.erp.sentBy.id, view.erp.sentBy);
      await send(
        [...people.values()].map((person) => ({ person })),
        () => rejectionEmail(view, companyName, timeZone),
      );
    } else if (notice.kind === 'synced') {
      await send([{ person: notice.item.creator }], () => syncedEmail(view, companyName));
    } else if (notice.kind === 'export-failed') {
      // Any approver may retry or reject a failed export: in Slack the approvers' channel shows it.
      await send(await this.approvers(), () => exportFailedEmail(view, companyName, notice.message));
    } else {
      const asked = await this.askedOf(notice, view);
      if (asked)
        await send(asked.people, (to) =>
          reviewRequestEmail(view, companyName, timeZone, { ...asked.reason, ...(to.forWhom ? { forWhom: to.forWhom } : {}) }),
        );
    }
  }

  /** The approvers a notice asks for a decision, and why; null when it asks nobody. */
  private async askedOf(notice: Notice, view: ItemView): Promise<{ people: Recipient[]; reason: ReviewReason } | null> {
    const { db } = this.deps;
    if (notice.kind === 'reminder') {
      return {
        people: await whomToAsk(db, notice.waitingFor),
        reason: { kind: 'reminder', step: notice.step, since: notice.waitingSince },
      };
    }
    const turn = turnOpened(notice);
    if (turn) {
      const kind = notice.kind === 'escalated' ? 'escalated' : notice.kind === 'review-requested' ? 'review' : 'turn';
      const reason: ReviewReason = { kind, step: turn.step, ...(notice.kind === 'escalated' ? { after: notice.after } : {}) };
      return { people: await whomToAsk(db, turn.approvers), reason };
    }
    if (notice.kind !== 'review-requested') return null;
    // The default route: any accounting approver may decide, except (separation of duties) its sender.
    const sender = view.erp.sentBy?.id;
    const people = (await this.approvers()).filter(({ person }) => this.deps.rules.allowSelfApproval || person.id !== sender);
    return { people, reason: { kind: 'review' } };
  }

  /** Every accounting approver. */
  private async approvers(): Promise<Recipient[]> {
    const approvers = (await accountingCandidates(this.deps.db)).filter(isAccountingApprover);
    return approvers.map((approver) => ({ person: { id: approver.id, name: approver.name } }));
  }

  /** One person's email of a notice: skipped for someone Slack reaches (unless always), sent once. */
  private async emailOnce(noticeKey: string, to: Recipient, erpRecordId: number | null, message: () => Email): Promise<void> {
    const { db, record, mailer, inSlack, always } = this.deps;
    const user = await userById(db, to.person.id);
    if (!user?.email) return;
    if (!always && inSlack && (await inSlack(user))) return;
    const recorded = await record.recordEmail(noticeKey, user.id, erpRecordId);
    if (recorded.deliveredAt) return;
    try {
      await mailer.send({ name: user.name, address: user.email }, message());
    } catch (err) {
      if (!isPermanent(err)) throw err;
      // The server refused this address or message for good: said in the log and in the record, not tried again.
      console.error(`Email to ${user.email} refused for good: ${(err as Error).message}`);
      await record.failed(recorded, (err as Error).message);
      return;
    }
    await record.delivered(recorded);
  }
}

/** Waits for both; fails with the first failure once both have finished. */
async function both(...work: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
