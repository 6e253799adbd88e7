/**
 * The state of one submission round and what it does: open it, take a person's decision, run one
 * export, and tell people. The workflow (`approval-round.ts`) holds the messages and the waits; this
 * class holds everything they act on. All I/O goes through the activities it is given.
 */
import { ActivityFailure, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ActivityFailureInfo, Notice, RoundItem } from '../activities/types';
import type { ApprovalActivities } from '../activities';
import { decisionInFlight, reviewedEarlierRound, stillBeingSent, wrongState } from '../domain/actions';
import { itemName } from '../domain/item-types';
import { formatMoney, type Person } from '../domain/items';
import { ACTION_PAST, canApply, nextStatus, statusLabel, type ErpStatus, type ItemAction, type Transition } from '../domain/statuses';
import { reasonProblem } from '../domain/text';
import { InvalidRequest } from '../domain/errors';
import { failureFrom, failureInfo, toApplicationFailure } from './failures';
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
  /** The round the person reviewed (what they saw); a decision on an earlier round's review is refused. */
  round?: number;
  description?: string;
  /** The decider also sent this round (allowed only with ALLOW_SELF_APPROVAL); the history says so. */
  selfApproved?: boolean;
}

export interface RejectInput {
  by: Person;
  round?: number;
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

/** The decisions a person sends to a running round. */
export type DecisionAction = 'accept' | 'reject' | 'retry-export' | 'retrieve';

type Activities = Pick<ApprovalActivities, 'openRound' | 'recordTransition' | 'exportItem' | 'notify'>;

/** The activities a round uses, each with the retry policy it needs; the export's is made per run. */
export interface RoundActivities {
  /** Database writes: retried until the database takes them again, so no decision is dropped. */
  store: Pick<Activities, 'openRound' | 'recordTransition'>;
  /** Notices: retried for a while; a failed delivery never undoes a decision. */
  notifications: Pick<Activities, 'notify'>;
  /** The export, under the round's export policy. */
  exporter: (policy: ExportPolicy, summary: string) => Pick<Activities, 'exportItem'>;
}

/** What a decision of each kind carries. */
export type DecisionInputOf<A extends DecisionAction> = A extends 'reject' ? RejectInput : DecisionInput;

/** A notice without what every notice of the round carries. */
type NoticeBody = Notice extends infer N ? (N extends unknown ? Omit<N, 'item' | 'round' | 'eventKey'> : never) : never;

interface DecisionEffects<I> {
  /** What the history records beside the move. */
  extra: (input: I) => { reason?: string; description?: string; selfApproved?: boolean };
  /** The round's current details in the Temporal UI. */
  step: (by: Person) => string;
  notice: (input: I) => NoticeBody;
}

/** What each decision records and the notice it sends. */
const DECISIONS: { [A in DecisionAction]: DecisionEffects<DecisionInputOf<A>> } = {
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

export class ApprovalRound {
  readonly state: RoundState;
  private readonly deliveries: Promise<void>[] = [];
  private readonly what: string;

  constructor(
    private readonly input: RoundInput,
    private readonly activities: RoundActivities,
  ) {
    this.state = { item: input.item, round: input.round, status: input.fromStatus, opened: false, decisions: [], exportRuns: 0 };
    this.what = itemName(input.item.type, input.item.ref);
  }

  /** Synced, Rejected or Retrieved: nothing more can happen in this round. */
  get ended(): boolean {
    return ROUND_ENDS.includes(this.state.status);
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
      this.state.decisions.push({ action: kind, by, at: new Date().toISOString() });
      this.setStatus('ReadyToExport', `waiting for an accounting approver (${ACTION_PAST[kind]} by ${by.name})`);
      this.notify({ kind: 'review-requested', by, resend: kind === 'resend', previousRejection: opened.previousRejection }, kind);
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

  /** Refuses a decision that cannot be taken now, or that lacks what it needs, before it enters the history. */
  validate(action: DecisionAction, input: DecisionInput | RejectInput): void {
    this.assertDecidable(action);
    const { type, ref } = this.input.item;
    if (input.round !== undefined && input.round !== this.input.round) {
      throw toApplicationFailure(reviewedEarlierRound(type, ref, this.state.status, input.round, this.input.round));
    }
    if (action === 'reject') {
      const problem = reasonProblem((input as RejectInput).reason ?? '');
      if (problem) throw toApplicationFailure(new InvalidRequest(problem));
    }
  }

  /**
   * Records a person's decision; of two racing decisions exactly one gets past the claim. Only the
   * state is checked again here: the handler also runs on replay, where the validator does not, and
   * must take the decisions the validator of the time accepted.
   */
  async decide<A extends DecisionAction>(action: A, input: DecisionInputOf<A>): Promise<RoundState> {
    this.assertDecidable(action);
    const { item } = this.input;
    const { by } = input;
    const effects = DECISIONS[action] as DecisionEffects<DecisionInputOf<A>>;
    const extra = effects.extra(input);
    const at = new Date().toISOString();
    this.state.pending = { action, by, at };
    try {
      const to = nextStatus(this.state.status, action)!;
      await this.activities.store.recordTransition({
        type: item.type,
        ref: item.ref,
        transition: action,
        by: by.id,
        ...extra,
        ...(this.state.snapshotHash ? { snapshotHash: this.state.snapshotHash } : {}),
        eventKey: this.eventKey(action),
      });
      this.state.decisions.push({ action, by, at, ...extra });
      this.setStatus(to, effects.step(by));
    } finally {
      this.state.pending = undefined;
    }
    this.notify(effects.notice(input), action);
    return this.state;
  }

  /** The round is open, no other decision is being recorded, and the status allows `action`. */
  private assertDecidable(action: DecisionAction): void {
    const { type, ref } = this.input.item;
    const { status, pending } = this.state;
    if (!this.state.opened) throw toApplicationFailure(stillBeingSent(type, ref, status));
    if (pending) throw toApplicationFailure(decisionInFlight(type, ref, status, pending));
    if (!canApply(status, action)) throw toApplicationFailure(wrongState(type, ref, status, action, this.state.decisions));
  }

  /** Sends the round's reviewed snapshot to the ERP once (with the policy's retries), and records what came of it. */
  async exportOnce(): Promise<void> {
    const { item, round, exportPolicy: policy } = this.input;
    this.state.exportRuns += 1;
    const exporter = this.activities.exporter(policy, `Export ${this.what} to the ERP`);
    try {
      const { erpId, snapshotHash, foundUnder } = await exporter.exportItem({ type: item.type, ref: item.ref, round });
      // The ERP already held an earlier round's export (its answer lost, or its round released): that is the item's record.
      const message = foundUnder
        ? `ERP id ${erpId}: already booked under the earlier key ${foundUnder.idempotencyKey} (round ${foundUnder.round}` +
          `${foundUnder.snapshotHash ? `, snapshot sha256:${foundUnder.snapshotHash}` : ''}); nothing was exported again.`
        : undefined;
      await this.activities.store.recordTransition({
        type: item.type,
        ref: item.ref,
        transition: 'exported',
        erpId,
        ...(message ? { message } : {}),
        ...(snapshotHash ? { snapshotHash } : {}),
        eventKey: this.eventKey('exported'),
      });
      this.state.decisions.push({ action: 'exported', by: null, at: new Date().toISOString(), ...(message ? { message } : {}) });
      this.state.erpId = erpId;
      this.state.exportError = undefined;
      this.setStatus(
        'Synced',
        foundUnder ? `found in the ERP as ${erpId} (booked in round ${foundUnder.round})` : `exported to the ERP as ${erpId}`,
      );
      this.notify({ kind: 'synced', erpId }, 'exported');
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = failureInfo(err);
      // The record contradicts the round: nothing went to the ERP, and an operator must look.
      if (failure.type === 'StatusConflict') throw err;
      const message =
        failure.type === 'ErpRefused'
          ? failure.message
          : `The ERP could not be reached after ${policy.maximumAttempts} attempts: ${failure.message}`;
      await this.activities.store.recordTransition({
        type: item.type,
        ref: item.ref,
        transition: 'export-failed',
        message,
        eventKey: this.eventKey('export-failed'),
      });
      this.state.decisions.push({ action: 'export-failed', by: null, at: new Date().toISOString(), message });
      this.state.exportError = message;
      this.setStatus('FailedToExport', `the ERP refused it: ${message}; an approver may retry or reject`);
      this.notify({ kind: 'export-failed', message }, 'export-failed');
    }
  }

  /** Waits for the notices still being delivered, then answers with how the round ended. */
  async outcome(): Promise<RoundOutcome> {
    await Promise.all(this.deliveries);
    const { status, erpId, refusal, decisions } = this.state;
    return { status, erpId, refusal, decisions };
  }

  /** Unique per move of the round: a retried write or delivery lands once. */
  private eventKey(transition: Transition): string {
    return `${workflowInfo().workflowId}#${this.input.round}:${this.state.decisions.length}:${transition}`;
  }

  private setStatus(status: ErpStatus, step: string): void {
    const { item, round } = this.input;
    this.state.status = status;
    upsertSearchAttributes([{ key: ErpStatusKey, value: status }]);
    const amount = item.totalCents === null ? '' : ` · ${formatMoney(item.totalCents)}`;
    const snapshot = this.state.snapshotHash ? ` · reviewed snapshot sha256:${this.state.snapshotHash}` : '';
    setCurrentDetails(
      `**${statusLabel(status)}** — ${step}\n\n${this.what}: ${item.title}${amount} · created by ${item.creator.name} · round ${round}${snapshot}`,
    );
  }

  /** Delivery runs beside the round; a failed delivery never undoes a decision. */
  private notify(body: NoticeBody, transition: Transition): void {
    const notice = { ...body, item: this.input.item, round: this.input.round, eventKey: this.eventKey(transition) };
    this.deliveries.push(this.activities.notifications.notify(notice).catch(() => undefined));
  }
}
