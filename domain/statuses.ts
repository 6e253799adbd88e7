/**
 * The ERP status of an item and the moves between them. The same words are used in the database,
 * the Temporal search attribute `ErpStatus`, Slack and the API.
 */
export const ERP_STATUSES = [
  'NotSent',
  'ReadyToExport',
  'Exporting',
  'Synced',
  'FailedToExport',
  'Rejected',
  'Retrieved',
  'Voided',
] as const;
export type ErpStatus = (typeof ERP_STATUSES)[number];

/** What people ask for, through Slack or the API. */
export const ITEM_ACTIONS = ['send', 'resend', 'retrieve', 'accept', 'reject', 'retry-export', 'void'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

/** The approver's actions: accept, reject, retry a failed export. Nobody decides a round they sent. */
export const DECISIONS: readonly ItemAction[] = ['accept', 'reject', 'retry-export'];

/** The actions that open a round: whoever took the last one sent the round. */
export const SEND_ACTIONS: readonly ItemAction[] = ['send', 'resend'];

/** What the export itself reports. */
export type ExportOutcome = 'exported' | 'export-failed';
/** An operator frees an item whose round stopped (`npm run ops -- release`). */
export type OperatorMove = 'release';
/**
 * An accept that does not end the round's approval (its route has another approval or step to go),
 * and a step that waited past its escalation time being opened to more approvers.
 */
export type StepMove = 'approve' | 'escalate';
export type Transition = ItemAction | ExportOutcome | OperatorMove | StepMove;

/** Every move the change history records, by its code. */
export const TRANSITIONS: readonly Transition[] = [...ITEM_ACTIONS, 'exported', 'export-failed', 'release', 'approve', 'escalate'];

export function isTransition(value: string): value is Transition {
  return (TRANSITIONS as readonly string[]).includes(value);
}

const MOVES: Record<Transition, { from: readonly ErpStatus[]; to: ErpStatus }> = {
  send: { from: ['NotSent', 'Retrieved'], to: 'ReadyToExport' },
  resend: { from: ['Rejected'], to: 'ReadyToExport' },
  retrieve: { from: ['ReadyToExport'], to: 'Retrieved' },
  accept: { from: ['ReadyToExport'], to: 'Exporting' },
  reject: { from: ['ReadyToExport', 'FailedToExport'], to: 'Rejected' },
  'retry-export': { from: ['FailedToExport'], to: 'Exporting' },
  // A rejected item the creator will not fix: out of every queue, never sent again.
  void: { from: ['Rejected'], to: 'Voided' },
  exported: { from: ['Exporting'], to: 'Synced' },
  'export-failed': { from: ['Exporting'], to: 'FailedToExport' },
  release: { from: ['ReadyToExport', 'Exporting', 'FailedToExport'], to: 'Retrieved' },
  // The item stays with accounting; the history records whose approval it was and at which step.
  approve: { from: ['ReadyToExport'], to: 'ReadyToExport' },
  escalate: { from: ['ReadyToExport'], to: 'ReadyToExport' },
};

/** The statuses `transition` applies to, and the one it leads to. */
export function moveOf(transition: Transition): { from: readonly ErpStatus[]; to: ErpStatus } {
  return MOVES[transition];
}

export function canApply(status: ErpStatus, transition: Transition): boolean {
  return MOVES[transition].from.includes(status);
}

/** The status after `transition`, or undefined where the move is not allowed from `status`. */
export function nextStatus(status: ErpStatus, transition: Transition): ErpStatus | undefined {
  return canApply(status, transition) ? MOVES[transition].to : undefined;
}

/**
 * While an item is with accounting (or already in the ERP) its locked fields cannot be edited.
 * A failed export stays locked: the approver retries it or rejects it, and rejection unlocks.
 */
export const LOCKING_STATUSES: readonly ErpStatus[] = ['ReadyToExport', 'Exporting', 'FailedToExport', 'Synced'];

export function isLocked(status: ErpStatus): boolean {
  return LOCKING_STATUSES.includes(status);
}

/** A round is open from send until the item is Synced, Rejected or Retrieved. */
export function isInReview(status: ErpStatus): boolean {
  return status === 'ReadyToExport' || status === 'Exporting' || status === 'FailedToExport';
}

/** Words for people: "Ready to Export", "Failed to Export". */
export function statusLabel(status: ErpStatus): string {
  const labels: Record<ErpStatus, string> = {
    NotSent: 'Not Sent',
    ReadyToExport: 'Ready to Export',
    Exporting: 'Exporting',
    Synced: 'Synced',
    FailedToExport: 'Failed to Export',
    Rejected: 'Rejected',
    Retrieved: 'Retrieved',
    Voided: 'Voided',
  };
  return labels[status];
}

/** Past-tense verbs for "already accepted by …" answers and the change history. */
export const ACTION_PAST: Record<Transition, string> = {
  send: 'sent',
  resend: 're-sent',
  retrieve: 'retrieved',
  accept: 'accepted',
  reject: 'rejected',
  'retry-export': 'sent for another export attempt',
  void: 'voided',
  exported: 'exported',
  'export-failed': 'failed to export',
  release: 'released by an operator',
  approve: 'approved at its step',
  escalate: 'escalated',
};
