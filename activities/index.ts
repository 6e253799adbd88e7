/**
 * Every side effect of an approval round: the database, the ERP, notifications. The workflow sees
 * these only through `proxyActivities<ReturnType<typeof createActivities>>`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ErpProfile, ErpSettings } from '../domain/erp-profiles';
import { assertSendable } from '../domain/erp-profiles';
import { DomainError, UnknownItem } from '../domain/errors';
import { wrongState } from '../domain/actions';
import { exportIdempotencyKey, itemName, type ItemType } from '../domain/item-types';
import { totalCents } from '../domain/items';
import { DEFAULT_ROUTE, waitingOn, type Route } from '../domain/routing';
import { routeFor } from '../store/policies';
import { nextStatus, type Transition } from '../domain/statuses';
import { ErpRefused, ErpUnavailable, type ErpTransport } from '../connectors/transport';
import { heldInErp } from '../connectors/lost-exports';
import { toApplicationFailure } from '../workflows/failures';
import { failedToExport, readyToExportFor } from '../store/queues';
import { isAccountingApprover } from '../domain/permissions';
import { loadItem } from '../store/items';
import { decisionsOf } from '../store/history';
import { freezeSnapshot, roundSnapshot, sha256Hex } from '../store/snapshots';
import { canonicalJson, reviewFacts } from '../domain/review';
import { accountingCandidates } from '../store/users';
import { exportSource, markBooked, markRefused, recordAttempt } from '../store/exports';
import { applyMove, moveRecord, recordedEntry } from '../store/rounds';
import { lockCommitmentOf, lockRecordFor, writeTransaction, type Db } from '../store/prisma';
import { getCalendar } from '../store/calendar';
import { addWorkingTime, localWords } from '../domain/calendar';
import type { Notice, Notifier, WorkingDeadline } from './types';

const SUMMARY_ITEMS = 10;

export interface ActivityDeps {
  db: Db;
  profile: ErpProfile;
  settings: ErpSettings;
  transport: ErpTransport;
  notifier: Notifier;
  /** One-person offices: the sender of a round may also decide it (ALLOW_SELF_APPROVAL); false unless set. */
  allowSelfApproval?: boolean;
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
  /** The approver `by` decided for (a delegation). */
  onBehalfOf?: string;
  reason?: string;
  description?: string;
  message?: string;
  erpId?: string;
  /** The reviewed snapshot of the round the transition belongs to. */
  snapshotHash?: string;
  /** A decision by the round's own sender (ALLOW_SELF_APPROVAL). */
  selfApproved?: boolean;
  /** The step of the round's route an accept, approval or rejection was made at. */
  step?: number;
  /** Whom the round waits for after this move (user ids; empty: any accounting approver), for the approvers' queues. */
  waitingFor?: string[];
  eventKey: string;
}

export interface OpenedRound {
  previousRejection: string | null;
  snapshotHash: string | null;
  /** The approvers' route, frozen with the snapshot (absent in the histories of rounds opened before routing). */
  route?: Route;
}

export interface ExportResult {
  erpId: string;
  snapshotHash?: string;
  /** The ERP already held the item under an earlier key whose answer had been lost. */
  foundUnder?: { idempotencyKey: string; round: number; snapshotHash: string | null };
}

const SELF_APPROVED = 'Self-approved: decided by the person who sent this round (ALLOW_SELF_APPROVAL).';

/**
 * An earlier round's export the ERP holds (booked, or its lost answer found booked): the item's record,
 * so nothing is exported again under this round's key.
 */
async function bookedEarlier(db: Db, transport: ErpTransport, erpRecordId: number, currentKey: string): Promise<ExportResult | null> {
  const held = await heldInErp(db, transport, erpRecordId, currentKey);
  if (!held) return null;
  const { idempotencyKey, round, snapshotHash, erpId } = held;
  return { erpId, ...(snapshotHash ? { snapshotHash } : {}), foundUnder: { idempotencyKey, round, snapshotHash } };
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

export function createActivities({ db, profile, settings, transport, notifier, allowSelfApproval = false }: ActivityDeps) {
  return {
    /**
     * Validates the item against the ERP's rules, locks it, freezes the reviewed snapshot (the exact
     * export payload and what the review request shows) and records the send, all or nothing.
     */
    async openRound(input: OpenRoundInput): Promise<OpenedRound> {
      return refusalsAsFailures(() =>
        writeTransaction(db, async (tx) => {
          // A change order's commitment first (parent, then child, as intake locks them): two change
          // orders of one commitment are sent one at a time, so one ERP id cannot be sent twice.
          const commitment = input.type === 'cco' ? await lockCommitmentOf(tx, input.ref) : null;
          // Row lock: an edit or void of the item waits, so what is frozen is what stays locked.
          const { recorded } = await lockRecordFor(tx, input.type, input.ref, input.eventKey);
          const { item, erp } = await loadItem(tx, input.type, input.ref);
          // Moved to another commitment before its lock was taken: that commitment is not locked, so try again.
          if (item.type === 'cco' && item.commitmentRef !== commitment) {
            throw ApplicationFailure.retryable(
              `${itemName(item.type, item.ref)} moved to commitment ${item.commitmentRef} while being sent.`,
              'ItemMoved',
            );
          }
          const previousRejection = input.kind === 'resend' ? erp.lastRejectionReason : null;
          const from = erp.status;
          const to = nextStatus(from, input.kind);
          // Recorded by an earlier attempt; one this attempt waited for is seen only by a later statement.
          if (recorded || (!to && (await recordedEntry(tx, input.eventKey)))) {
            const snapshot = await roundSnapshot(tx, erp.id, input.round);
            return { previousRejection, snapshotHash: snapshot?.hash ?? null, route: (snapshot?.route as Route | null) ?? DEFAULT_ROUTE };
          }
          if (!to) throw wrongState(input.type, input.ref, from, input.kind, await decisionsOf(tx, erp.id));
          assertSendable(profile, item, settings);
          // The approvers' route is chosen now and kept with what they review: a later change of the
          // policies does not alter this round.
          const route = await routeFor(tx, { type: item.type, projectRef: item.projectRef, totalCents: totalCents(item) });
          const snapshot = await freezeSnapshot(tx, {
            erpRecordId: erp.id,
            round: input.round,
            payload: profile.toPayload(item, settings),
            review: reviewFacts(item),
            route,
            sentById: input.by,
          });
          await moveRecord(
            tx,
            erp,
            to,
            {
              actorId: input.by,
              action: input.kind,
              reason: previousRejection,
              message: `Reviewed snapshot sha256:${snapshot.hash}`,
              snapshotHash: snapshot.hash,
              eventKey: input.eventKey,
            },
            { round: input.round, exportError: null, waitingFor: waitingOn(route, []), sentById: input.by },
          );
          return { previousRejection, snapshotHash: snapshot.hash, route: (snapshot.route as Route | null) ?? route };
        }),
      );
    },

    /** Moves the item's ERP status and writes the change history entry, once per event: one statement. */
    async recordTransition(input: TransitionInput): Promise<void> {
      const { moved, status } = await applyMove(
        db,
        input.type,
        input.ref,
        {
          actorId: input.by ?? null,
          onBehalfOfId: input.onBehalfOf ?? null,
          action: input.transition,
          reason: input.reason ?? input.description ?? null,
          message: input.message ?? (input.erpId ? `ERP id ${input.erpId}` : null) ?? (input.selfApproved ? SELF_APPROVED : null),
          snapshotHash: input.snapshotHash ?? null,
          selfApproved: input.selfApproved ?? false,
          step: input.step ?? null,
          eventKey: input.eventKey,
        },
        {
          ...(input.erpId ? { erpId: input.erpId } : {}),
          exportError: input.transition === 'export-failed' ? (input.message ?? null) : null,
          ...(input.transition === 'reject' ? { lastRejectionReason: input.reason ?? null } : {}),
          ...(input.waitingFor ? { waitingFor: input.waitingFor } : {}),
        },
      );
      // Recorded by an earlier attempt, perhaps one this one waited for.
      if (moved || (await recordedEntry(db, input.eventKey))) return;
      if (status === null) throw new UnknownItem(`There is no ${itemName(input.type, input.ref)}.`);
      throw ApplicationFailure.nonRetryable(
        `${input.type} ${input.ref} is ${status} in the database; "${input.transition}" does not apply. An operator must reconcile it.`,
        'StatusConflict',
      );
    },

    /**
     * Sends the round's reviewed snapshot under the round's idempotency key. First, every earlier key
     * of the item whose outcome is unknown is looked up in the ERP: one found booked is the item's
     * record, and nothing is exported again under a new key.
     */
    async exportItem(input: { type: ItemType; ref: string; round: number }): Promise<ExportResult> {
      const idempotencyKey = exportIdempotencyKey(input.type, input.ref, input.round);
      const erp = await exportSource(db, input.type, input.ref, input.round);
      // Only an accepted item goes to the ERP: the record must say so for this very round, whatever a
      // stale or reset workflow believes.
      if (erp.status !== 'Exporting' || erp.round !== input.round) {
        throw ApplicationFailure.nonRetryable(
          `${input.type} ${input.ref} is ${erp.status} in round ${erp.round} in the database, not Exporting in round ${input.round}: ` +
            'nothing was sent to the ERP. An operator must reconcile it.',
          'StatusConflict',
        );
      }
      const snapshot = erp.snapshots[0];
      // A round opened before snapshots were kept exports its item as it stands (locked since the send).
      const body = snapshot?.payload ?? canonicalJson(profile.toPayload((await loadItem(db, input.type, input.ref)).item, settings));
      const snapshotHash = snapshot?.hash ?? sha256Hex(body);
      try {
        // A first round has no earlier key to look up.
        const earlier = input.round > 1 ? await bookedEarlier(db, transport, erp.id, idempotencyKey) : null;
        if (earlier) return earlier;
        await recordAttempt(db, { idempotencyKey, erpRecordId: erp.id, round: input.round, snapshotHash });
        const receipt = await transport.export({ idempotencyKey, itemType: input.type, itemRef: input.ref, body });
        await markBooked(db, idempotencyKey, receipt.erpId);
        return { erpId: receipt.erpId, snapshotHash };
      } catch (err) {
        if (err instanceof ErpRefused) {
          await markRefused(db, idempotencyKey);
          throw ApplicationFailure.nonRetryable(err.message, 'ErpRefused');
        }
        if (err instanceof ErpUnavailable) {
          throw ApplicationFailure.create({ message: err.message, type: 'ErpUnavailable', nextRetryDelay: err.retryAfterMs });
        }
        throw err;
      }
    },

    /**
     * When `after` of working time has passed since `from`, on the company calendar as it is now (a
     * holiday added while a step waits counts for its next reminder), and that time in the calendar's
     * words. `from` is the workflow's clock, never this process's. Null when the calendar has no such
     * time within ten years (holidays over every working day): the step then waits without that timer,
     * rather than retrying an answer that will not change.
     */
    async workingDeadline(input: { from: string; after: string }): Promise<WorkingDeadline | null> {
      const calendar = await getCalendar(db);
      const from = new Date(input.from);
      let at: Date;
      try {
        at = addWorkingTime(from, input.after, calendar);
      } catch (err) {
        if (err instanceof RangeError) return null;
        throw err;
      }
      return { at: at.toISOString(), words: localWords(at, from, calendar) };
    },

    async notify(notice: Notice): Promise<void> {
      await notifier.deliver(notice);
    },

    /**
     * Each accounting approver gets what waits for them: the Ready to Export items at their step (or
     * any approver's, or an away approver's they stand in for) and every Failed to Export item. Nobody
     * gets an empty one.
     */
    async sendDailySummaries(input: {
      runKey: string;
      date: string;
    }): Promise<{ approvers: number; sent: number; readyToExport: number; failedToExport: number }> {
      const approvers = (await accountingCandidates(db)).filter(isAccountingApprover);
      // A summary lists the oldest few of each kind, with the full counts; Failed to Export is everyone's, read once.
      const [failed, ready] = await Promise.all([
        failedToExport(db, SUMMARY_ITEMS),
        db.erpRecord.count({ where: { status: 'ReadyToExport' } }),
      ]);
      const counts = { approvers: approvers.length, sent: 0, readyToExport: ready, failedToExport: failed.total };
      if (counts.readyToExport + counts.failedToExport === 0) return counts;
      for (const approver of approvers) {
        const readyToExport = await readyToExportFor(db, approver.id, SUMMARY_ITEMS, { allowSelfApproval });
        if (readyToExport.total + failed.total === 0) continue;
        await notifier.dailySummary({
          approver: { id: approver.id, name: approver.name },
          date: input.date,
          readyToExport,
          failedToExport: failed,
          eventKey: `${input.runKey}:${approver.id}`,
        });
        counts.sent += 1;
      }
      return counts;
    },
  };
}

export type ApprovalActivities = ReturnType<typeof createActivities>;
