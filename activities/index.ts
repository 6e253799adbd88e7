/**
 * Every side effect of an approval round: the database, the ERP, notifications. The workflow sees
 * these only through `proxyActivities<ReturnType<typeof createActivities>>`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ErpProfile, ErpSettings } from '../domain/erp-profiles';
import { assertSendable } from '../domain/erp-profiles';
import { DomainError, NotAwaitingDecision } from '../domain/errors';
import { ITEM_TYPE_INFO, exportIdempotencyKey, type ItemType } from '../domain/item-types';
import { ACTION_PAST, nextStatus, statusLabel, type ErpStatus, type Transition } from '../domain/statuses';
import { ErpRefused, ErpUnavailable, type ErpTransport } from '../connectors/transport';
import { toApplicationFailure } from '../platform/failures';
import { approverQueue } from '../services/queues';
import { isAccountingApprover } from '../domain/permissions';
import { loadItem } from '../store/items';
import { actorOf } from '../store/users';
import { writeTransaction, type Db, type Tx } from '../store/prisma';
import type { Notifier } from './notifier';
import type { Notice } from './types';

const SUMMARY_ITEMS = 10;

export interface ActivityDeps {
  db: Db;
  profile: ErpProfile;
  settings: ErpSettings;
  transport: ErpTransport;
  notifier: Notifier;
}

export interface OpenRoundInput {
  type: ItemType;
  ref: string;
  kind: 'send' | 'resend';
  round: number;
  by: string;
  eventKey: string;
}

export interface TransitionInput {
  type: ItemType;
  ref: string;
  transition: Transition;
  by?: string;
  reason?: string;
  description?: string;
  message?: string;
  erpId?: string;
  eventKey: string;
}

/** Runs `work`, turning a domain refusal into a non-retryable failure the workflow can explain. */
async function refusalsAsFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError) throw toApplicationFailure(err);
    throw err;
  }
}

async function alreadyRecorded(tx: Tx, eventKey: string): Promise<boolean> {
  return (await tx.historyEntry.count({ where: { eventKey } })) > 0;
}

export function createActivities({ db, profile, settings, transport, notifier }: ActivityDeps) {
  return {
    /** Validates the item against the ERP's rules, locks it and records the send, all or nothing. */
    async openRound(input: OpenRoundInput): Promise<{ previousRejection: string | null }> {
      return refusalsAsFailures(() =>
        writeTransaction(db, async (tx) => {
          const { item, erp } = await loadItem(tx, input.type, input.ref);
          if (await alreadyRecorded(tx, input.eventKey)) return { previousRejection: erp.lastRejectionReason };
          const from = erp.status as ErpStatus;
          const to = nextStatus(from, input.kind);
          if (!to) {
            throw new NotAwaitingDecision(
              `${ITEM_TYPE_INFO[input.type].label} ${input.ref} is ${statusLabel(from)}, so it cannot be ${ACTION_PAST[input.kind]}.`,
              from,
            );
          }
          assertSendable(profile, item, settings);
          await tx.erpRecord.update({ where: { id: erp.id }, data: { status: to, round: input.round, exportError: null } });
          await tx.historyEntry.create({
            data: {
              erpRecordId: erp.id,
              actorId: input.by,
              action: ACTION_PAST[input.kind],
              fromStatus: from,
              toStatus: to,
              reason: input.kind === 'resend' ? erp.lastRejectionReason : null,
              eventKey: input.eventKey,
            },
          });
          return { previousRejection: input.kind === 'resend' ? erp.lastRejectionReason : null };
        }),
      );
    },

    /** Moves the item's ERP status and writes the change history entry, once per event. */
    async recordTransition(input: TransitionInput): Promise<void> {
      await writeTransaction(db, async (tx) => {
        const erp = await tx.erpRecord.findUniqueOrThrow({
          where: { itemType_itemRef: { itemType: input.type, itemRef: input.ref } },
          include: { history: { where: { eventKey: input.eventKey }, select: { id: true } } },
        });
        if (erp.history.length > 0) return; // Recorded by an earlier attempt.
        const from = erp.status as ErpStatus;
        const to = nextStatus(from, input.transition);
        if (!to) {
          throw ApplicationFailure.nonRetryable(
            `${input.type} ${input.ref} is ${from} in the database; "${input.transition}" does not apply. An operator must reconcile it.`,
            'StatusConflict',
          );
        }
        await tx.erpRecord.update({
          where: { id: erp.id },
          data: {
            status: to,
            ...(input.erpId ? { erpId: input.erpId } : {}),
            exportError: input.transition === 'export-failed' ? (input.message ?? null) : null,
            ...(input.transition === 'reject' ? { lastRejectionReason: input.reason ?? null } : {}),
          },
        });
        await tx.historyEntry.create({
          data: {
            erpRecordId: erp.id,
            actorId: input.by ?? null,
            action: ACTION_PAST[input.transition],
            fromStatus: from,
            toStatus: to,
            reason: input.reason ?? input.description ?? null,
            message: input.message ?? (input.erpId ? `ERP id ${input.erpId}` : null),
            eventKey: input.eventKey,
          },
        });
      });
    },

    /** Sends the item's export record under the round's idempotency key. */
    async exportItem(input: { type: ItemType; ref: string; round: number }): Promise<{ erpId: string }> {
      const { item } = await loadItem(db, input.type, input.ref);
      const payload = profile.toPayload(item, settings);
      try {
        const receipt = await transport.export({
          idempotencyKey: exportIdempotencyKey(input.type, input.ref, input.round),
          itemType: input.type,
          itemRef: input.ref,
          payload,
        });
        return { erpId: receipt.erpId };
      } catch (err) {
        if (err instanceof ErpRefused) throw ApplicationFailure.nonRetryable(err.message, 'ErpRefused');
        if (err instanceof ErpUnavailable) {
          throw ApplicationFailure.create({ message: err.message, type: 'ErpUnavailable', nextRetryDelay: err.retryAfterMs });
        }
        throw err;
      }
    },

    async notify(notice: Notice): Promise<void> {
      await notifier.deliver(notice);
    },

    /** Each accounting approver gets the day's Ready to Export and Failed to Export lists; nobody gets an empty one. */
    async sendDailySummaries(input: { runKey: string; date: string }): Promise<{ approvers: number; sent: number; readyToExport: number; failedToExport: number }> {
      // A summary lists the oldest few of each kind, with the full counts.
      const { readyToExport, failedToExport } = await approverQueue(db, SUMMARY_ITEMS);
      const users = await db.user.findMany({ where: { canPushToAccounting: true }, include: { permissions: true }, orderBy: { name: 'asc' } });
      const approvers = users.filter((user) => isAccountingApprover(actorOf(user)));
      const counts = { approvers: approvers.length, readyToExport: readyToExport.total, failedToExport: failedToExport.total };
      if (readyToExport.total + failedToExport.total === 0) return { ...counts, sent: 0 };
      for (const approver of approvers) {
        await notifier.dailySummary({
          approver: { id: approver.id, name: approver.name },
          date: input.date,
          readyToExport,
          failedToExport,
          eventKey: `${input.runKey}:${approver.id}`,
        });
      }
      return { ...counts, sent: approvers.length };
    },
  };
}

export type ApprovalActivities = ReturnType<typeof createActivities>;
