/**
 * What a round decides, as plain functions: whether a decision may be taken now, what each decision
 * records and announces, what an export's answer means for the item, and what the Temporal UI shows.
 * No I/O and no workflow APIs: `round.ts` applies them inside the workflow, and they are tested (and
 * mutation-tested) on their own.
 */
import type { ActivityFailureInfo, Notice, RoundItem } from '../activities/types';
import { decisionInFlight, reviewedEarlierRound, stillBeingSent, wrongState, type RecordedDecision } from '../domain/actions';
import { InvalidRequest, type DomainError } from '../domain/errors';
import { itemName } from '../domain/item-types';
import { formatMoney, type Person } from '../domain/items';
import { ACTION_PAST, canApply, statusLabel, type ErpStatus, type ItemAction, type Transition } from '../domain/statuses';
import { reasonProblem } from '../domain/text';
import { routeProgress, stepLabel, stepWaitWords, type Route, type RouteStep, type StepApproval } from '../domain/routing';

/** The decisions a person sends to a running round. */
export type DecisionAction = 'accept' | 'reject' | 'retry-export' | 'retrieve';

export interface DecisionInput {
  by: Person;
  /** The approver `by` decides for, by a delegation the desk found holding (out of office). */
  onBehalfOf?: Person;
  /** The round the person reviewed (what they saw); a decision on an earlier round's review is refused. */
  round?: number;
  description?: string;
  /** The decider also sent this round (allowed only with ALLOW_SELF_APPROVAL); the history says so. */
  selfApproved?: boolean;
}

export interface RejectInput {
  by: Person;
  onBehalfOf?: Person;
  round?: number;
  reason: string;
  selfApproved?: boolean;
}

/** What a decision of each kind carries. */
export type DecisionInputOf<A extends DecisionAction> = A extends 'reject' ? RejectInput : DecisionInput;

/** A notice without what every notice of the round carries. */
export type NoticeBody = Notice extends infer N ? (N extends unknown ? Omit<N, 'item' | 'round' | 'eventKey'> : never) : never;

export interface DecisionEffects<I> {
  /** What the history records beside the move. */
  extra: (input: I) => { reason?: string; description?: string; selfApproved?: boolean };
  /** The round's current details in the Temporal UI. */
  step: (by: Person) => string;
  notice: (input: I) => NoticeBody;
}

/** What each decision records and the notice it sends. */
export const DECISIONS: { [A in DecisionAction]: DecisionEffects<DecisionInputOf<A>> } = {
  accept: {
    extra: ({ description, selfApproved }) => ({ description, selfApproved }),
    step: (by) => `accepted by ${by.name}, exporting`,
    notice: ({ by, description }) => ({ kind: 'accepted', by, description: description ?? null }),
  },
  'retry-export': {
    extra: ({ selfApproved }) => ({ selfApproved }),
    step: (by) => `export retried by ${by.name}`,
    notice: ({ by }) => ({ kind: 'export-retried', by }),
  },
  reject: {
    extra: ({ reason, selfApproved }) => ({ reason, selfApproved }),
    step: (by) => `rejected by ${by.name}`,
    notice: ({ by, reason }) => ({ kind: 'rejected', by, reason }),
  },
  retrieve: {
    extra: () => ({}),
    step: (by) => `retrieved by ${by.name}`,
    notice: ({ by }) => ({ kind: 'retrieved', by }),
  },
};

const ROUND_ENDS: readonly ErpStatus[] = ['Synced', 'Rejected', 'Retrieved'];

/** Synced, Rejected or Retrieved: nothing more can happen in the round. */
export function roundEnded(status: ErpStatus): boolean {
  return ROUND_ENDS.includes(status);
}

/** Where a round stands, as far as taking a decision goes. */
export interface DecisionPoint {
  item: Pick<RoundItem, 'type' | 'ref'>;
  status: ErpStatus;
  /** False until the send has been validated and recorded. */
  opened: boolean;
  /** A decision being recorded now. */
  pending?: { action: ItemAction; by: Person; at: string };
  decisions: readonly RecordedDecision[];
}

/** Why `action` cannot be taken now (the round not open yet, another decision in flight, the wrong status), or null. */
export function decisionRefusal(point: DecisionPoint, action: DecisionAction): DomainError | null {
  const { type, ref } = point.item;
  const { status, pending } = point;
  if (!point.opened) return stillBeingSent(type, ref, status);
  if (pending) return decisionInFlight(type, ref, status, pending);
  if (!canApply(status, action)) return wrongState(type, ref, status, action, point.decisions);
  return null;
}

/**
 * Why a person's decision is refused before it enters the history: it cannot be taken now, it was
 * made on an earlier round's review, or a rejection lacks a usable reason. Null when it may go ahead.
 */
export function inputRefusal(
  point: DecisionPoint,
  round: number,
  action: DecisionAction,
  input: DecisionInput | RejectInput,
): DomainError | null {
  const refusal = decisionRefusal(point, action);
  if (refusal) return refusal;
  const { type, ref } = point.item;
  if (input.round !== undefined && input.round !== round) return reviewedEarlierRound(type, ref, point.status, input.round, round);
  if (action === 'reject') {
    const problem = reasonProblem((input as RejectInput).reason ?? '');
    if (problem) return new InvalidRequest(problem);
  }
  return null;
}

/** An earlier round's export the ERP already held, found instead of exporting again. */
export interface FoundUnder {
  idempotencyKey: string;
  round: number;
  snapshotHash: string | null;
}

/** The history's words for an export that found the item already booked, or undefined for a fresh one. */
export function foundUnderMessage(erpId: string, foundUnder: FoundUnder | null | undefined): string | undefined {
  if (!foundUnder) return undefined;
  const snapshot = foundUnder.snapshotHash ? `, snapshot sha256:${foundUnder.snapshotHash}` : '';
  return (
    `ERP id ${erpId}: already booked under the earlier key ${foundUnder.idempotencyKey} (round ${foundUnder.round}${snapshot}); ` +
    'nothing was exported again.'
  );
}

/** The round's step once the ERP holds the item. */
export function syncedStep(erpId: string, foundUnder: FoundUnder | null | undefined): string {
  return foundUnder ? `found in the ERP as ${erpId} (booked in round ${foundUnder.round})` : `exported to the ERP as ${erpId}`;
}

/**
 * What a failed export means: `conflict` when the record contradicts the round (nothing went to the
 * ERP and an operator must look), else the message Failed to Export records: the ERP's refusal as it
 * gave it, or that the ERP could not be reached after every attempt.
 */
export function exportFailure(
  failure: ActivityFailureInfo,
  maximumAttempts: number,
): { conflict: true } | { conflict: false; message: string } {
  if (failure.type === 'StatusConflict') return { conflict: true };
  const message =
    failure.type === 'ErpRefused' ? failure.message : `The ERP could not be reached after ${maximumAttempts} attempts: ${failure.message}`;
  return { conflict: false, message };
}

/** The round's step once an export failed. */
export function failedStep(message: string): string {
  return `the ERP refused it: ${message}; an approver may retry or reject`;
}

/** Whose turn it is on a route: "step 2 of 3 (Controllers): Carl Diaz and Dana Ito". */
export function turnWords(route: Route, approvals: readonly StepApproval[]): string {
  const { current, steps } = routeProgress(route, approvals);
  if (current === null) return 'every step approved';
  return stepWaitWords(current, route.steps.length, route.steps[current]!, steps[current]!.approvedBy);
}

/** The round's step while it waits for an approver; on a route with more than its default step, whose turn it is. */
export function waitingStep(kind: 'send' | 'resend', by: Person, route?: Route): string {
  const sent = `${ACTION_PAST[kind]} by ${by.name}`;
  if (!route || (route.policy === null && route.steps.length === 1)) return `waiting for an accounting approver (${sent})`;
  return `waiting for ${turnWords(route, [])} (${sent})`;
}

/** The round's step after an approval that leaves the route more to go. */
export function routeStep(route: Route, approvals: readonly StepApproval[], by: Person): string {
  return `approved by ${by.name}; waiting for ${turnWords(route, approvals)}`;
}

/** The Temporal UI's current details: where the round is, what the item is, and the reviewed snapshot. */
export function currentDetails(status: ErpStatus, step: string, item: RoundItem, round: number, snapshotHash?: string): string {
  const amount = item.totalCents === null ? '' : ` · ${formatMoney(item.totalCents)}`;
  const snapshot = snapshotHash ? ` · reviewed snapshot sha256:${snapshotHash}` : '';
  return `**${statusLabel(status)}** — ${step}\n\n${itemName(item.type, item.ref)}: ${item.title}${amount} · created by ${item.creator.name} · round ${round}${snapshot}`;
}

/** Unique per move of a round (the moves before it counted): a retried write or delivery lands once. */
export function eventKey(workflowId: string, round: number, movesBefore: number, transition: Transition | `reminder-${string}`): string {
  return `${workflowId}#${round}:${movesBefore}:${transition}`;
}

/** The current step's reminder and escalation times, counted in the company calendar's working hours. */
export interface StepTimers {
  /** The step they were worked out for. */
  step: number;
  /** When the step began to wait. */
  since: string;
  remindAt?: string;
  /** "Tue 09:00", in the calendar's zone. */
  remindWords?: string;
  /** Reminders sent for this step so far. */
  reminders: number;
  escalateAt?: string;
  escalateWords?: string;
}

/** Whether the step has times to keep: a reminder, or an escalation it has not had yet. */
export function stepHasTimers(step: RouteStep | undefined): boolean {
  return Boolean(step && (step.remindAfter || (step.escalateAfter && !step.escalated)));
}

/** The earliest of the timers still to come, as epoch milliseconds; undefined when none is set. */
export function nextTimerAt(timers: StepTimers | undefined): number | undefined {
  const times = [timers?.remindAt, timers?.escalateAt].filter((at): at is string => Boolean(at)).map((at) => Date.parse(at));
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** What the Temporal UI adds to the step's words while timers run: " · next reminder Tue 09:00 · escalates to Fay Chen Wed 09:00". */
export function timerWords(timers: StepTimers | undefined, step: RouteStep | undefined): string {
  if (!timers || !step) return '';
  const remind = timers.remindWords ? ` · next reminder ${timers.remindWords}` : '';
  const names = (step.escalateTo ?? []).map((person) => person.name).join(', ');
  const escalate = timers.escalateWords ? ` · escalates to ${names} ${timers.escalateWords}` : '';
  return `${remind}${escalate}`;
}

/** What the history records when a step escalates. */
export function escalationMessage(route: Route, index: number): string {
  const step = route.steps[index]!;
  const names = (step.escalateTo ?? []).map((person) => person.name).join(', ');
  return `${stepLabel(index, route.steps.length, step.name)} waited ${step.escalateAfter} of working time: ${names} may now decide it`;
}
