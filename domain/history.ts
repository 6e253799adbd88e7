/** A change history entry as people and programs read it: the item view's history and the audit export say it alike. */
import type { Person } from './items';
import { ACTION_PAST, isTransition, type ErpStatus } from './statuses';

/** A stored entry, as the store reads it. */
export interface StoredEntry {
  at: Date;
  actor: Person | null;
  onBehalfOf: Person | null;
  action: string;
  fromStatus: ErpStatus | null;
  toStatus: ErpStatus | null;
  reason: string | null;
  message: string | null;
  snapshotHash: string | null;
  selfApproved: boolean;
  step: number | null;
  /** The submission round the move belongs to; null before the first send. */
  round: number | null;
}

export function historyEntryView(entry: StoredEntry) {
  return {
    at: entry.at.toISOString(),
    by: entry.actor,
    /** The approver `by` decided for while they were away (a delegation); null otherwise. */
    onBehalfOf: entry.onBehalfOf,
    /** The move in words ("accepted", "re-sent"), and by its code (`accept`, `resend`). */
    action: isTransition(entry.action) ? ACTION_PAST[entry.action] : entry.action,
    /** Null only for an entry an earlier release wrote in words this one does not know. */
    transition: isTransition(entry.action) ? entry.action : null,
    from: entry.fromStatus,
    to: entry.toStatus,
    reason: entry.reason,
    message: entry.message,
    snapshotHash: entry.snapshotHash,
    selfApproved: entry.selfApproved,
    /** The step of the round's route an approval was given at (0 = the first). */
    step: entry.step,
    /** The submission round the move belongs to. */
    round: entry.round,
  };
}
