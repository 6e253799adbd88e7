/**
 * One submission round of an item through accounting: sent (or re-sent), then accepted and exported,
 * or rejected, or retrieved. Decisions arrive as Workflow Updates so the person deciding gets the
 * result, or a clear refusal, at once. All I/O happens in activities.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityFailureInfo, Notice, RoundItem } from '../activities/types';
import type { createActivities } from '../activities';
import { ITEM_TYPE_INFO } from '../domain/item-types';
import { formatMoney, type Person } from '../domain/items';
import { ACTION_PAST, canApply, nextStatus, statusLabel, type ErpStatus, type ItemAction, type Transition } from '../domain/statuses';
import { ErpStatusKey } from './search-attributes';

export interface ExportPolicy {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** Attempts before a transient failure (network, 429, 5xx) is given up as Failed to Export. */
  maximumAttempts: number;
  startToCloseMs: number;
}

export interface RoundInput {
  item: RoundItem;
  kind: 'send' | 'resend';
  /** The status the item had before this round. */
  fromStatus: ErpStatus;
  round: number;
  by: Person;
  exportPolicy: ExportPolicy;
}

export interface DecisionInput {
  by: Person;
  description?: string;
  /** The decider also sent this round (allowed only with ALLOW_SELF_APPROVAL); the history says so. */
  selfApproved?: boolean;
}

export interface RejectInput {
  by: Person;
  reason: string;
  selfApproved?: boolean;
}

export interface DecisionRecord {
  action: Transition;
  by: Person | null;
  at: string;
  reason?: string;
  description?: string;
  message?: string;
}

export interface RoundState {
  item: RoundItem;
  round: number;
  status: ErpStatus;
  /** False until the send has been validated and recorded. */
  opened: boolean;
  refusal?: ActivityFailureInfo;
  pending?: { action: ItemAction; by: Person; at: string };
  decisions: DecisionRecord[];
  erpId?: string;
  exportError?: string;
  exportRuns: number;
  /** SHA-256 of the reviewed snapshot frozen when the round opened. */
  snapshotHash?: string;
}

export type RoundOutcome = Pick<RoundState, 'status' | 'erpId' | 'refusal' | 'decisions'>;

// The round's public API.
export const submissionUpdate = defineUpdate<RoundState>('submission');
export const acceptUpdate = defineUpdate<RoundState, [DecisionInput]>('accept');
export const rejectUpdate = defineUpdate<RoundState, [RejectInput]>('reject');
export const retryExportUpdate = defineUpdate<RoundState, [DecisionInput]>('retryExport');
export const retrieveUpdate = defineUpdate<RoundState, [DecisionInput]>('retrieve');
export const roundStateQuery = defineQuery<RoundState>('roundState');

type Activities = ReturnType<typeof createActivities>;

// Database writes retry until the database takes them again, however long a disk or lock problem
// lasts: a decision or an export the ERP has booked must not be dropped. Refusals are non-retryable.
const store = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const notifications = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

const ROUND_ENDS: readonly ErpStatus[] = ['Synced', 'Rejected', 'Retrieved'];

export async function approvalRound(input: RoundInput): Promise<RoundOutcome> {
  const { item } = input;
  const what = `${ITEM_TYPE_INFO[item.type].label} ${item.ref}`;
  const state: RoundState = { item, round: input.round, status: input.fromStatus, opened: false, decisions: [], exportRuns: 0 };
  const deliveries: Promise<void>[] = [];

  const eventKey = (transition: Transition) => `${workflowInfo().workflowId}#${input.round}:${state.decisions.length}:${transition}`;

  const setStatus = (status: ErpStatus, step: string) => {
    state.status = status;
    upsertSearchAttributes([{ key: ErpStatusKey, value: status }]);
    const amount = item.totalCents === null ? '' : ` · ${formatMoney(item.totalCents)}`;
    const snapshot = state.snapshotHash ? ` · reviewed snapshot sha256:${state.snapshotHash}` : '';
    setCurrentDetails(
      `**${statusLabel(status)}** — ${step}\n\n${what}: ${item.title}${amount} · created by ${item.creator.name} · round ${input.round}${snapshot}`,
    );
  };

  const notify = (notice: Notice) => {
    // Delivery runs beside the round; a failed delivery never undoes a decision.
    deliveries.push(notifications.notify(notice).catch(() => undefined));
  };

  const refusal = (action: ItemAction): string | undefined => {
    if (!state.opened) return `${what} is still being sent; try again in a moment.`;
    if (state.pending) {
      const { action: taken, by, at } = state.pending;
      return `${what} is already being ${ACTION_PAST[taken]} by ${by.name} (since ${at}).`;
    }
    if (canApply(state.status, action)) return undefined;
    const last = [...state.decisions].reverse().find((d) => d.by !== null);
    const lastWords = last?.by ? ` It was ${ACTION_PAST[last.action]} by ${last.by.name} at ${last.at}.` : '';
    return `${what} is ${statusLabel(state.status)}, so it cannot be ${ACTION_PAST[action]}.${lastWords}`;
  };

  const notAwaiting = (message: string) => {
    // The decision that won: one in flight, else the last a person made.
    const last = state.pending ?? [...state.decisions].reverse().find((d) => d.by !== null);
    return ApplicationFailure.create({
      type: 'NotAwaitingDecision',
      message,
      nonRetryable: true,
      details: [
        { status: state.status, decision: last?.by ? { action: ACTION_PAST[last.action], by: last.by.name, at: last.at } : undefined },
      ],
    });
  };

  const assertAllowed = (action: ItemAction) => {
    const problem = refusal(action);
    if (problem) throw notAwaiting(problem);
  };

  /** Records a person's decision; exactly one of two racing decisions gets past the claim. */
  const decide = async (
    action: ItemAction,
    by: Person,
    extra: { reason?: string; description?: string; selfApproved?: boolean },
    step: string,
  ) => {
    assertAllowed(action);
    const at = new Date().toISOString();
    state.pending = { action, by, at };
    try {
      const to = nextStatus(state.status, action) as ErpStatus;
      await store.recordTransition({
        type: item.type,
        ref: item.ref,
        transition: action,
        by: by.id,
        ...extra,
        ...(state.snapshotHash ? { snapshotHash: state.snapshotHash } : {}),
        eventKey: eventKey(action),
      });
      state.decisions.push({ action, by, at, ...extra });
      setStatus(to, step);
      return to;
    } finally {
      state.pending = undefined;
    }
  };

  setHandler(roundStateQuery, () => state);

  setHandler(submissionUpdate, async () => {
    await condition(() => state.opened || state.refusal !== undefined);
    if (state.refusal) {
      throw ApplicationFailure.create({
        type: state.refusal.type,
        message: state.refusal.message,
        nonRetryable: true,
        details: [state.refusal.details],
      });
    }
    return state;
  });

  setHandler(
    acceptUpdate,
    async ({ by, description, selfApproved }) => {
      await decide('accept', by, { description, selfApproved }, `accepted by ${by.name}, exporting`);
      notify({ kind: 'accepted', item, round: input.round, by, description: description ?? null, eventKey: eventKey('accept') });
      return state;
    },
    { validator: (_input: DecisionInput) => assertAllowed('accept') },
  );

  setHandler(
    retryExportUpdate,
    async ({ by, selfApproved }) => {
      await decide('retry-export', by, { selfApproved }, `export retried by ${by.name}`);
      notify({ kind: 'export-retried', item, round: input.round, by, eventKey: eventKey('retry-export') });
      return state;
    },
    { validator: (_input: DecisionInput) => assertAllowed('retry-export') },
  );

  setHandler(
    rejectUpdate,
    async ({ by, reason, selfApproved }) => {
      await decide('reject', by, { reason, selfApproved }, `rejected by ${by.name}`);
      notify({ kind: 'rejected', item, round: input.round, by, reason, eventKey: eventKey('reject') });
      return state;
    },
    {
      validator: (input: RejectInput) => {
        assertAllowed('reject');
        if (!input.reason?.trim())
          throw ApplicationFailure.create({ type: 'InvalidRequest', message: 'A reason is required to reject.', nonRetryable: true });
      },
    },
  );

  setHandler(
    retrieveUpdate,
    async ({ by }) => {
      await decide('retrieve', by, {}, `retrieved by ${by.name}`);
      notify({ kind: 'retrieved', item, round: input.round, by, eventKey: eventKey('retrieve') });
      return state;
    },
    { validator: (_input: DecisionInput) => assertAllowed('retrieve') },
  );

  // 1. Send: validate against the ERP's rules, lock the item, record who sent it.
  try {
    const opened = await store.openRound({
      type: item.type,
      ref: item.ref,
      kind: input.kind,
      round: input.round,
      by: input.by.id,
      eventKey: eventKey(input.kind),
    });
    state.opened = true;
    state.snapshotHash = opened.snapshotHash ?? undefined;
    state.decisions.push({ action: input.kind, by: input.by, at: new Date().toISOString() });
    setStatus('ReadyToExport', `waiting for an accounting approver (${input.kind === 'resend' ? 're-sent' : 'sent'} by ${input.by.name})`);
    notify({
      kind: 'review-requested',
      item,
      round: input.round,
      by: input.by,
      resend: input.kind === 'resend',
      previousRejection: opened.previousRejection,
      eventKey: eventKey(input.kind),
    });
  } catch (err) {
    state.refusal = describeFailure(err);
    setCurrentDetails(`**Not sent** — ${state.refusal.message}`);
    await condition(allHandlersFinished);
    return outcome(state);
  }

  // 2. Wait for decisions; every accept or retry runs one export.
  while (!ROUND_ENDS.includes(state.status)) {
    await condition(() => state.status === 'Exporting' || ROUND_ENDS.includes(state.status));
    if (state.status === 'Exporting') await exportOnce(state, input, eventKey, setStatus, notify);
  }

  await condition(allHandlersFinished);
  await Promise.all(deliveries);
  return outcome(state);
}

async function exportOnce(
  state: RoundState,
  input: RoundInput,
  eventKey: (t: Transition) => string,
  setStatus: (status: ErpStatus, step: string) => void,
  notify: (notice: Notice) => void,
): Promise<void> {
  const { item, exportPolicy: policy } = input;
  state.exportRuns += 1;
  const exporter = proxyActivities<Activities>({
    startToCloseTimeout: policy.startToCloseMs,
    summary: `Export ${ITEM_TYPE_INFO[item.type].label} ${item.ref} to the ERP`,
    retry: {
      initialInterval: policy.initialIntervalMs,
      maximumInterval: policy.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: policy.maximumAttempts,
      nonRetryableErrorTypes: ['ErpRefused'],
    },
  });
  try {
    const { erpId, snapshotHash, foundUnder } = await exporter.exportItem({ type: item.type, ref: item.ref, round: input.round });
    // An earlier round's export whose answer was lost turned out to be booked: that is the item's record.
    const message = foundUnder
      ? `ERP id ${erpId}: already booked under the earlier key ${foundUnder.idempotencyKey} (round ${foundUnder.round}` +
        `${foundUnder.snapshotHash ? `, snapshot sha256:${foundUnder.snapshotHash}` : ''}), whose answer had been lost; nothing was exported again.`
      : undefined;
    await store.recordTransition({
      type: item.type,
      ref: item.ref,
      transition: 'exported',
      erpId,
      ...(message ? { message } : {}),
      ...(snapshotHash ? { snapshotHash } : {}),
      eventKey: eventKey('exported'),
    });
    state.decisions.push({ action: 'exported', by: null, at: new Date().toISOString(), ...(message ? { message } : {}) });
    state.erpId = erpId;
    state.exportError = undefined;
    setStatus(
      'Synced',
      foundUnder ? `found in the ERP as ${erpId} (booked in round ${foundUnder.round})` : `exported to the ERP as ${erpId}`,
    );
    notify({ kind: 'synced', item, round: input.round, erpId, eventKey: eventKey('exported') });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const failure = describeFailure(err);
    const message =
      failure.type === 'ErpRefused'
        ? failure.message
        : `The ERP could not be reached after ${policy.maximumAttempts} attempts: ${failure.message}`;
    await store.recordTransition({
      type: item.type,
      ref: item.ref,
      transition: 'export-failed',
      message,
      eventKey: eventKey('export-failed'),
    });
    state.decisions.push({ action: 'export-failed', by: null, at: new Date().toISOString(), message });
    state.exportError = message;
    setStatus('FailedToExport', `the ERP refused it: ${message}; an approver may retry or reject`);
    notify({ kind: 'export-failed', item, round: input.round, message, eventKey: eventKey('export-failed') });
  }
}

/** The innermost application failure: the words the activity chose for people. */
function describeFailure(err: unknown): ActivityFailureInfo {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    return { type: cause.type ?? 'Error', message: cause.message, details: cause.details?.[0] ?? null };
  }
  return { type: 'Error', message: cause instanceof Error ? cause.message : String(cause), details: null };
}

function outcome(state: RoundState): RoundOutcome {
  return { status: state.status, erpId: state.erpId, refusal: state.refusal, decisions: state.decisions };
}
