/**
 * The state of one submission round and what it does: open it, take a person's decision, run one
 * export, and tell people. The workflow (`approval-round.ts`) holds the messages and the waits; this
 * class holds everything they act on. All I/O goes through the activities it is given.
 */
import { ActivityFailure, condition, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ActivityFailureInfo, RoundItem } from '../activities/types';
import type { ApprovalActivities, TransitionInput } from '../activities';
import { deciderWords, type Person } from '../domain/items';
import { itemName } from '../domain/item-types';
import {
  escalatedAt,
  routeProgress,
  routeRefusal,
  turnRefusal,
  waitingOn,
  waitingPeople,
  type Route,
  type StepApproval,
} from '../domain/routing';
import { nextStatus, type ErpStatus, type ItemAction, type Transition } from '../domain/statuses';
import { failureFrom, failureInfo, toApplicationFailure } from './failures';
import {
  currentDetails,
  DECISIONS,
  decisionRefusal,
  escalationMessage,
  eventKey,
  exportFailure,
  nextTimerAt,
  stepHasTimers,
  timerWords,
  failedStep,
  foundUnderMessage,
  routeStep,
  inputRefusal,
  roundEnded,
  syncedStep,
  waitingStep,
  type DecisionAction,
  type DecisionEffects,
  type DecisionInput,
  type DecisionInputOf,
  type NoticeBody,
  type RejectInput,
  type StepTimers,
} from './round-rules';
import { ErpStatusKey } from './search-attributes';

export type { DecisionAction, DecisionInput, DecisionInputOf, RejectInput } from './round-rules';

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

export interface DecisionRecord {
  action: Transition;
  by: Person | null;
  /** The approver `by` decided for (a delegation). */
  onBehalfOf?: Person;
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
  /**
   * The approvers' route, frozen with the snapshot: steps in order, each ended by its quorum. Absent
   * for rounds opened before routing (one step, any accounting approver).
   */
  route?: Route;
  /** The approvals given so far on the route. */
  approvals?: StepApproval[];
  /** The step whose turn it is (0 = the first); null once every step has approved. */
  step?: number | null;
  /** The waiting step's reminder and escalation times, when its policy sets them. */
  timers?: StepTimers;
}

export type RoundOutcome = Pick<RoundState, 'status' | 'erpId' | 'refusal' | 'decisions'>;

type Activities = Pick<ApprovalActivities, 'openRound' | 'recordTransition' | 'workingDeadline' | 'exportItem' | 'notify'>;

/** Rounds opened from here on follow their frozen route; earlier ones replay as they ran. */
export const ROUTING_PATCH = 'approval-routing';
/** Steps reached from here on keep their reminder and escalation times; earlier ones replay as they ran. */
export const STEP_TIMERS_PATCH = 'step-timers';

/** The activities a round uses, each with the retry policy it needs; the export's is made per run. */
export interface RoundActivities {
  /** Database writes: retried until the database takes them again, so no decision is dropped. */
  store: Pick<Activities, 'openRound' | 'recordTransition' | 'workingDeadline'>;
  /** Notices: retried for a while; a failed delivery never undoes a decision. */
  notifications: Pick<Activities, 'notify'>;
  /** The export, under the round's export policy. */
  exporter: (policy: ExportPolicy, summary: string) => Pick<Activities, 'exportItem'>;
}

export class ApprovalRound {
  readonly state: RoundState;
  private readonly deliveries: Promise<void>[] = [];
  /** The step whose timers have been worked out (or found not to apply). */
  private timedStep: number | null = null;
  /** A reminder or escalation being recorded: decisions wait for it, so the two never interleave. */
  private timerMove: Promise<void> | undefined;
  /** The round's step in words, as the Temporal UI shows it before the timers' words. */
  private stepWords = '';

  constructor(
    private readonly input: RoundInput,
    private readonly activities: RoundActivities,
  ) {
    this.state = { item: input.item, round: input.round, status: input.fromStatus, opened: false, decisions: [], exportRuns: 0 };
  }

  /** Synced, Rejected or Retrieved: nothing more can happen in this round. */
  get ended(): boolean {
    return roundEnded(this.state.status);
  }

  /** An accept or a retry is waiting for its export. */
  get exportDue(): boolean {
    return this.state.status === 'Exporting';
  }

  /** Validates the send against the ERP's rules, locks the item and records who sent it. False when refused. */
  async open(): Promise<boolean> {
    const { item, kind, round, by } = this.input;
    try {
      const opened = await this.activities.store.openRound({
        type: item.type,
        ref: item.ref,
        kind,
        round,
        by: by.id,
        eventKey: this.eventKey(kind),
      });
      this.state.opened = true;
      this.state.snapshotHash = opened.snapshotHash ?? undefined;
      if (opened.route && patched(ROUTING_PATCH)) {
        this.state.route = opened.route;
        this.state.approvals = [];
        this.state.step = 0;
      }
      this.state.decisions.push({ action: kind, by, at: new Date().toISOString() });
      this.setStatus('ReadyToExport', waitingStep(kind, by, this.state.route));
      this.notify(
        {
          kind: 'review-requested',
          by,
          resend: kind === 'resend',
          previousRejection: opened.previousRejection,
          ...(this.state.route ? { route: this.state.route } : {}),
        },
        kind,
      );
      return true;
    } catch (err) {
      this.state.refusal = failureInfo(err);
      setCurrentDetails(`**Not sent** — ${this.state.refusal.message}`);
      return false;
    }
  }

  /** The answer to the send: the round's state once opened, or the refusal. */
  submission(): RoundState {
    const { refusal } = this.state;
    if (refusal) throw failureFrom(refusal);
    return this.state;
  }

  /**
   * Refuses a decision that cannot be taken now, or that lacks what it needs, before it enters the
   * history. One person does not approve two steps of a round: checked here only (never again in the
   * handler), so rounds recorded before this rule replay as they ran.
   */
  validate(action: DecisionAction, input: DecisionInput | RejectInput): void {
    const refusal =
      inputRefusal(this.state, this.input.round, action, input) ?? this.onRoute(routeRefusal, action, input.by, input.onBehalfOf);
    if (refusal) throw toApplicationFailure(refusal);
  }

  /** A check of where the round stands on its route (accept and reject belong to the approvers whose turn it is). */
  private onRoute(check: typeof turnRefusal, action: DecisionAction, by: Person, onBehalfOf?: Person) {
    const { route, approvals = [] } = this.state;
    return route ? check(itemName(this.input.item.type, this.input.item.ref), route, approvals, action, by, onBehalfOf) : null;
  }

  /**
   * Records a person's decision; of two racing decisions exactly one gets past the claim. Only the
   * state is checked again here: the handler also runs on replay, where the validator does not, and
   * must take the decisions the validator of the time accepted.
   */
  async decide<A extends DecisionAction>(action: A, input: DecisionInputOf<A>): Promise<RoundState> {
    if (this.timerMove) await this.timerMove;
    const refusal = decisionRefusal(this.state, action) ?? this.onRoute(turnRefusal, action, input.by, input.onBehalfOf);
    if (refusal) throw toApplicationFailure(refusal);
    const { item } = this.input;
    const { by, onBehalfOf } = input;
    // How the history's words and the Temporal UI name the decider: "Sam Ortiz on behalf of Dana Lee".
    const named = onBehalfOf ? { ...by, name: deciderWords(by, onBehalfOf) } : by;
    const onBehalf = onBehalfOf ? { onBehalfOf } : {};
    const effects = DECISIONS[action] as DecisionEffects<DecisionInputOf<A>>;
    const extra = effects.extra(input);
    const at = new Date().toISOString();
    // On a route, an accept that leaves a step (or an approver of it) to go is a step's approval.
    const step = this.state.route ? (this.currentStep ?? 0) : undefined;
    const given: StepApproval | undefined =
      step === undefined ? undefined : onBehalfOf ? { step, by: onBehalfOf, at, delegate: by } : { step, by, at };
    const approvals = given ? [...(this.state.approvals ?? []), given] : undefined;
    const progress = this.state.route && approvals ? routeProgress(this.state.route, approvals) : undefined;
    const transition = action === 'accept' && progress && progress.current !== null ? 'approve' : action;
    this.state.pending = { action, by, at };
    try {
      const to = nextStatus(this.state.status, transition)!;
      await this.activities.store.recordTransition({
        type: item.type,
        ref: item.ref,
        transition,
        by: by.id,
        ...(onBehalfOf ? { onBehalfOf: onBehalfOf.id } : {}),
        ...extra,
        ...(step === undefined || (action !== 'accept' && action !== 'reject') ? {} : { step }),
        // Who the approvers' queues show the item to from now on.
        ...(transition === 'approve' ? { waitingFor: waitingOn(this.state.route!, approvals!) } : {}),
        ...(this.state.snapshotHash ? { snapshotHash: this.state.snapshotHash } : {}),
        eventKey: this.eventKey(transition),
      });
      this.state.decisions.push({ action: transition, by, at, ...onBehalf, ...extra });
      if (action === 'accept' && approvals && progress) {
        this.state.approvals = approvals;
        this.state.step = progress.current;
      }
      if (transition === 'approve') this.setStep(routeStep(this.state.route!, approvals!, named));
      else this.setStatus(to, effects.step(named));
    } finally {
      this.state.pending = undefined;
    }
    if (transition === 'approve') {
      this.notify(
        {
          kind: 'step-approved',
          by,
          description: (input as DecisionInput).description ?? null,
          route: this.state.route!,
          approvals: approvals!,
          ...onBehalf,
        },
        transition,
      );
    } else {
      this.notify({ ...effects.notice(input), ...(action === 'accept' || action === 'reject' ? onBehalf : {}) }, action);
    }
    return this.state;
  }

  /** The step whose turn it is on the route; null without a route or once every step has approved. */
  private get currentStep(): number | null {
    return this.state.step ?? null;
  }

  /** The waiting step has reminder or escalation times not yet worked out. */
  get timersDue(): boolean {
    const step = this.currentStep;
    if (step === null || this.state.status !== 'ReadyToExport' || this.timedStep === step) return false;
    return stepHasTimers(this.state.route!.steps[step]);
  }

  /** When the next reminder or escalation of the waiting step is due (epoch ms), or undefined. */
  get nextTimer(): number | undefined {
    const { timers, status } = this.state;
    return timers && timers.step === this.currentStep && status === 'ReadyToExport' ? nextTimerAt(timers) : undefined;
  }

  /** Works out the waiting step's reminder and escalation times on the company calendar. */
  async scheduleTimers(): Promise<void> {
    const index = this.currentStep!;
    this.timedStep = index;
    if (!patched(STEP_TIMERS_PATCH)) return;
    const step = this.state.route!.steps[index]!;
    const from = new Date().toISOString();
    const { workingDeadline } = this.activities.store;
    const [remind, escalate] = await Promise.all([
      step.remindAfter ? workingDeadline({ from, after: step.remindAfter }) : undefined,
      step.escalateAfter && !step.escalated ? workingDeadline({ from, after: step.escalateAfter }) : undefined,
    ]);
    if (this.currentStep !== index) return; // decided meanwhile: the next step has its own
    this.state.timers = {
      step: index,
      since: from,
      reminders: 0,
      ...(remind ? { remindAt: remind.at, remindWords: remind.words } : {}),
      ...(escalate ? { escalateAt: escalate.at, escalateWords: escalate.words } : {}),
    };
    this.showDetails();
  }

  /**
   * Keeps the waiting step's times that are due: escalates it (recorded in the history, so every
   * reader sees who was added), then reminds whoever it still waits for and sets the next reminder.
   * Never beside a decision: it waits for one being recorded, and decisions wait for it.
   */
  async keepTimers(): Promise<void> {
    if (this.state.pending) await condition(() => !this.state.pending);
    const { timers } = this.state;
    if (!timers || timers.step !== this.currentStep || this.state.status !== 'ReadyToExport') return;
    let finished!: () => void;
    this.timerMove = new Promise((resolve) => (finished = resolve));
    try {
      const now = Date.now();
      if (timers.escalateAt && Date.parse(timers.escalateAt) <= now) await this.escalate(timers);
      if (timers.remindAt && Date.parse(timers.remindAt) <= now) await this.remind(timers);
      this.showDetails();
    } finally {
      this.timerMove = undefined;
      finished();
    }
  }

  private async escalate(timers: StepTimers): Promise<void> {
    const route = this.state.route!;
    const index = timers.step;
    const { snapshotHash, approvals = [] } = this.state;
    const escalated = escalatedAt(route, new Set([index]));
    await this.recordMove('escalate', {
      message: escalationMessage(route, index),
      step: index,
      waitingFor: waitingOn(escalated, approvals),
      ...(snapshotHash ? { snapshotHash } : {}),
    });
    const step = route.steps[index]!;
    this.state.route = escalated;
    timers.escalateAt = undefined;
    timers.escalateWords = undefined;
    this.notify(
      { kind: 'escalated', step: index, route: this.state.route, added: step.escalateTo ?? [], after: step.escalateAfter ?? '' },
      'escalate',
    );
  }

  private async remind(timers: StepTimers): Promise<void> {
    const route = this.state.route!;
    const index = timers.step;
    const step = route.steps[index]!;
    timers.reminders += 1;
    this.notify(
      {
        kind: 'reminder',
        step: index,
        route,
        waitingFor: waitingPeople(route, this.state.approvals ?? []),
        waitingSince: timers.since,
        count: timers.reminders,
      },
      `reminder-${index}-${timers.reminders}`,
    );
    // Again after the same working time, for as long as the step waits.
    const next = await this.activities.store.workingDeadline({ from: new Date().toISOString(), after: step.remindAfter! });
    timers.remindAt = next?.at;
    timers.remindWords = next?.words;
  }

  /** Sends the round's reviewed snapshot to the ERP once (with the policy's retries), and records what came of it. */
  async exportOnce(): Promise<void> {
    const { item, round, exportPolicy: policy } = this.input;
    this.state.exportRuns += 1;
    const exporter = this.activities.exporter(policy, `Export ${itemName(item.type, item.ref)} to the ERP`);
    try {
      const { erpId, snapshotHash, foundUnder } = await exporter.exportItem({ type: item.type, ref: item.ref, round });
      // The ERP already held an earlier round's export (its answer lost, or its round released): that is the item's record.
      const message = foundUnderMessage(erpId, foundUnder);
      await this.recordMove('exported', { erpId, ...(message ? { message } : {}), ...(snapshotHash ? { snapshotHash } : {}) });
      this.state.erpId = erpId;
      this.state.exportError = undefined;
      this.setStatus('Synced', syncedStep(erpId, foundUnder));
      this.notify({ kind: 'synced', erpId }, 'exported');
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = exportFailure(failureInfo(err), policy.maximumAttempts);
      // The record contradicts the round: nothing went to the ERP, and an operator must look.
      if (failure.conflict) throw err;
      const { message } = failure;
      await this.recordMove('export-failed', { message });
      this.state.exportError = message;
      this.setStatus('FailedToExport', failedStep(message));
      this.notify({ kind: 'export-failed', message }, 'export-failed');
    }
  }

  /** Waits for the notices still being delivered, then answers with how the round ended. */
  async outcome(): Promise<RoundOutcome> {
    await Promise.all(this.deliveries);
    const { status, erpId, refusal, decisions } = this.state;
    return { status, erpId, refusal, decisions };
  }

  /** Records a move nobody made (an escalation, the ERP's answer) and keeps it with the round's decisions. */
  private async recordMove(
    transition: 'escalate' | 'exported' | 'export-failed',
    fields: Omit<TransitionInput, 'type' | 'ref' | 'transition' | 'eventKey'>,
  ): Promise<void> {
    const { item } = this.input;
    await this.activities.store.recordTransition({
      type: item.type,
      ref: item.ref,
      transition,
      ...fields,
      eventKey: this.eventKey(transition),
    });
    const { message } = fields;
    this.state.decisions.push({ action: transition, by: null, at: new Date().toISOString(), ...(message ? { message } : {}) });
  }

  private eventKey(transition: Transition | `reminder-${string}`): string {
    return eventKey(workflowInfo().workflowId, this.input.round, this.state.decisions.length, transition);
  }

  private setStatus(status: ErpStatus, step: string): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: ErpStatusKey, value: status }]);
    this.setStep(step);
  }

  /** The Temporal UI's current details, the status unchanged. */
  private setStep(step: string): void {
    this.stepWords = step;
    this.showDetails();
  }

  private showDetails(): void {
    const { route, timers, status } = this.state;
    // The waiting step's times while they run.
    const live = timers && this.nextTimer !== undefined ? timerWords(timers, route?.steps[timers.step]) : '';
    setCurrentDetails(currentDetails(status, `${this.stepWords}${live}`, this.input.item, this.input.round, this.state.snapshotHash));
  }

  /** Delivery runs beside the round; a failed delivery never undoes a decision. */
  private notify(body: NoticeBody, transition: Transition | `reminder-${string}`): void {
    const notice = { ...body, item: this.input.item, round: this.input.round, eventKey: this.eventKey(transition) };
    this.deliveries.push(this.activities.notifications.notify(notice).catch(() => undefined));
  }
}
