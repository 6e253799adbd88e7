/**
 * The actions people take on items — send, re-send, retrieve, accept, reject, retry export, void —
 * with the same checks and the same words whether they come from Slack or the HTTP API. The rules
 * themselves live in `domain/`; this desk reads what they need once and hands decisions to the round.
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { lockRecord, writeTransaction, type Db } from '../store/prisma';
import { heldInErp, type HeldExport } from '../connectors/lost-exports';
import { ErpUnavailable, type ErpTransport } from '../connectors/transport';
import { loadItem, type LoadedItem } from '../store/items';
import { decisionsOf, recordedDecisions } from '../store/history';
import { findActor } from '../store/users';
import { routeAndPeople } from '../store/policies';
import { moveRecord, recordedEntry } from '../store/rounds';
import { recordStatus } from '../store/items';
import { assertSendable, type ErpProfile, type ErpSettings } from '../domain/erp-profiles';
import {
  AlreadyInReview,
  DomainError,
  ExportUnresolved,
  InvalidRequest,
  NotAwaitingDecision,
  RequirementsNotMet,
  RoundNotRunning,
  UnknownUser,
} from '../domain/errors';
import { approvalWorkflowId, itemName, type ItemType } from '../domain/item-types';
import { formatMoney, totalCents, type Person } from '../domain/items';
import { approverGaps, assertPermitted, type Actor } from '../domain/permissions';
import {
  ACTION_PAST,
  canApply,
  DECISIONS,
  isInReview,
  SEND_ACTIONS,
  statusLabel,
  type ErpStatus,
  type ItemAction,
} from '../domain/statuses';
import { alreadyInReview, reviewedEarlierRound, roundSender, selfApprovalRefusal, unsupported, wrongState } from '../domain/actions';
import {
  delegatorFor,
  earlierStepRefusal,
  routeRefusal,
  roundApprovals,
  stepLabel,
  turnRefusal,
  undecidableSteps,
  withEscalations,
  type Route,
  type RouteEntry,
  type RoutedItem,
} from '../domain/routing';
import { awayFor } from '../store/delegations';
import { capitalized, noteProblem, reasonProblem } from '../domain/text';
import { domainErrorFrom } from '../workflows/failures';
import {
  acceptUpdate,
  approvalRound,
  rejectUpdate,
  retrieveUpdate,
  retryExportUpdate,
  roundStateQuery,
  submissionUpdate,
  type DecisionAction,
  type ExportPolicy,
  type RoundInput,
  type RoundState,
} from '../workflows';
import { ErpItemRefKey, ErpItemTypeKey, ErpProjectKey, ErpStatusKey } from '../workflows/search-attributes';
import type { RoundItem } from '../activities/types';
import { itemView, type ItemRules, type ItemView } from './item-view';

export interface ApprovalDeskDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  profile: ErpProfile;
  settings: ErpSettings;
  exportPolicy: ExportPolicy;
  /** One-person offices: let the sender of a round also decide it (the history marks it self-approved). */
  allowSelfApproval?: boolean;
  /** The ERP, asked about exports whose answer was lost before an item is voided. */
  transport: ErpTransport;
}

export const DEFAULT_EXPORT_POLICY: ExportPolicy = {
  initialIntervalMs: 2_000,
  maximumIntervalMs: 5 * 60_000,
  maximumAttempts: 12,
  startToCloseMs: 2 * 60_000,
};

export interface DecisionRequest {
  by: string;
  /** The round the person reviewed: refused when the item has been sent again since. */
  round?: number;
  reason?: string;
  description?: string;
}

/** What the checks of an action read, once: the person and the item (and, for a decision, who sent the round). */
interface Checked extends LoadedItem {
  actor: Actor;
  /** Who sent the current round; null for actions other than decisions. */
  sender: Person | null;
  /** The approver the actor decides for, by a delegation that holds now (out of office). */
  onBehalfOf: Person | null;
}

/** One item's part of a bulk decision, in the order asked; an item named again repeats its first result, saying so. */
export type BulkResult = { type: ItemType; ref: string; duplicateOf?: number } & (
  | {
      /** accepted: on its way to the ERP; approved: its step approved, the next step's approvers asked. */
      outcome: 'accepted' | 'approved';
      status: ErpStatus;
    }
  | {
      /** refused: the decision is not allowed (the code and words as for one item); failed: it could not be taken now, try again. */
      outcome: 'refused' | 'failed';
      error: string;
      message: string;
    }
);

/** How many decisions of one bulk request run at once: each waits for its round's workflow. */
const BULK_PARALLEL = 8;

export class ApprovalDesk {
  constructor(private readonly deps: ApprovalDeskDeps) {}

  async actor(userId: string): Promise<Actor> {
    const actor = await findActor(this.deps.db, userId);
    if (!actor) throw new UnknownUser(`There is no user "${userId}" in the directory; ask an administrator to add you.`);
    return actor;
  }

  get rules(): ItemRules {
    return { profile: this.deps.profile, settings: this.deps.settings, allowSelfApproval: this.deps.allowSelfApproval ?? false };
  }

  /** The item; with `as`, what that person may do with it now and why not the rest. */
  async view(type: ItemType, ref: string, as?: string): Promise<ItemView> {
    const actor = as === undefined ? undefined : await this.actor(as);
    return itemView(this.deps.db, type, ref, this.rules, { actor });
  }

  send(type: ItemType, ref: string, by: string) {
    return this.open('send', type, ref, by);
  }

  resend(type: ItemType, ref: string, by: string) {
    return this.open('resend', type, ref, by);
  }

  accept(type: ItemType, ref: string, request: DecisionRequest) {
    return this.decided('accept', type, ref, request);
  }

  /**
   * Accepts several items for one person, each as its own decision (its own Update, with every check
   * one accept has): a refusal of one does not stop the others. Answers one result per item, in the
   * order given; an item named twice is decided once, and its later places repeat that result with
   * `duplicateOf` (the index of its first place).
   */
  async acceptMany(items: readonly { type: ItemType; ref: string }[], request: DecisionRequest): Promise<BulkResult[]> {
    const key = (item: { type: ItemType; ref: string }) => `${item.type}:${item.ref}`;
    const first = new Map<string, number>();
    items.forEach((item, index) => (first.has(key(item)) ? undefined : first.set(key(item), index)));
    const distinct = [...first.keys()].map((k) => items[first.get(k)!]!);
    const results = new Array<BulkResult>(distinct.length);
    let next = 0;
    const worker = async () => {
      while (next < distinct.length) {
        const index = next++;
        const { type, ref } = distinct[index]!;
        results[index] = { type, ref, ...(await this.acceptOne(type, ref, request)) };
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_PARALLEL, distinct.length) }, worker));
    const decided = new Map(results.map((result) => [key(result), result]));
    return items.map((item, index) => {
      const at = first.get(key(item))!;
      return at === index ? decided.get(key(item))! : { ...decided.get(key(item))!, duplicateOf: at };
    });
  }

  private async acceptOne(type: ItemType, ref: string, request: DecisionRequest) {
    try {
      const { status } = await this.decision('accept', type, ref, request);
      return { outcome: status === 'ReadyToExport' ? ('approved' as const) : ('accepted' as const), status };
    } catch (err) {
      if (err instanceof DomainError) return { outcome: 'refused' as const, error: err.code, message: err.message };
      const words = err instanceof Error ? err.message : String(err);
      return {
        outcome: 'failed' as const,
        error: 'unavailable',
        message: `${capitalized(itemName(type, ref))} could not be decided now (${words}): try it again.`,
      };
    }
  }

  reject(type: ItemType, ref: string, request: DecisionRequest) {
    return this.decided('reject', type, ref, request);
  }

  retryExport(type: ItemType, ref: string, request: DecisionRequest) {
    return this.decided('retry-export', type, ref, request);
  }

  retrieve(type: ItemType, ref: string, request: DecisionRequest) {
    return this.decided('retrieve', type, ref, request);
  }

  /** A decision, then the item as it stands (what the API answers with). */
  private async decided(action: DecisionAction, type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    await this.decision(action, type, ref, request);
    return this.view(type, ref);
  }

  act(action: ItemAction, type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    switch (action) {
      case 'send':
        return this.send(type, ref, request.by);
      case 'resend':
        return this.resend(type, ref, request.by);
      case 'accept':
        return this.accept(type, ref, request);
      case 'reject':
        return this.reject(type, ref, request);
      case 'retry-export':
        return this.retryExport(type, ref, request);
      case 'retrieve':
        return this.retrieve(type, ref, request);
      case 'void':
        return this.void(type, ref, request);
    }
  }

  /**
   * Everything that would refuse `action` now, checked before a person is asked for more (a modal):
   * the same checks, in the same order and words, as the action itself. Returns the item as it stands.
   */
  async precheck(action: ItemAction, type: ItemType, ref: string, by: string): Promise<ItemView> {
    const { item, erp, records, actor } = await this.check(action, type, ref, by);
    return itemView(this.deps.db, type, ref, this.rules, { loaded: { item, erp, records }, actor });
  }

  /**
   * A rejected commitment or change order its creator will not fix: Voided, out of every queue, its
   * history kept, never sent again. The round ended with the rejection, so this is the record alone.
   */
  async void(type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    // Optional here; when given, the same rule as a rejection's.
    const reason = request.reason?.trim() || null;
    const problem = reason ? reasonProblem(reason) : undefined;
    if (problem) throw new InvalidRequest(problem);
    const { actor, erp: record } = await this.check('void', type, ref, request.by);
    await this.assertNotInErp(type, ref, record.id);
    // The status is read again under the item's row lock, so a re-send racing this void cannot both win.
    await writeTransaction(this.deps.db, async (tx, { rerun }) => {
      const erp = await lockRecord(tx, type, ref);
      const from = erp.status;
      const eventKey = `void:${approvalWorkflowId(type, ref)}#${erp.round}`;
      // Run again after a COMMIT whose answer was lost: the void this call wrote is its answer.
      const earlier = rerun ? await recordedEntry(tx, eventKey) : null;
      if (earlier) return;
      if (!canApply(from, 'void')) throw wrongState(type, ref, from, 'void', await decisionsOf(tx, erp.id));
      await moveRecord(tx, erp, 'Voided', {
        actorId: actor.id,
        action: 'void',
        reason,
        message: `Voided instead of re-sent; round ${erp.round} was the last.`,
        eventKey,
      });
    });
    return this.view(type, ref);
  }

  /**
   * A void is final, so an item the ERP may hold is voided only once it is known not to: an export
   * recorded booked (a round released after its export, say) refuses the void, and so does one whose
   * answer was lost and that the ERP, asked, has. The way back is a round: its export finds the item
   * booked and records it Synced without exporting again.
   */
  private async assertNotInErp(type: ItemType, ref: string, erpRecordId: number): Promise<void> {
    const what = capitalized(itemName(type, ref));
    let held: HeldExport | null;
    try {
      held = await heldInErp(this.deps.db, this.deps.transport, erpRecordId);
    } catch (err) {
      if (!(err instanceof ErpUnavailable)) throw err;
      throw new ExportUnresolved(
        `${what} may be in the ERP (an export of it got no answer), and the ERP could not be asked ` +
          `just now: ${err.message} Nothing was voided; try again once the ERP answers.`,
      );
    }
    if (held) {
      throw new ExportUnresolved(
        `${what} is in the ERP as ${held.erpId}: round ${held.round}'s export (key ${held.idempotencyKey}) ` +
          `was booked${held.answerWasLost ? ' although its answer was lost' : ''}, so it cannot be voided. Re-send it and have it accepted: ` +
          'that export finds it booked and records it Synced without exporting again. Or reverse it in the ERP first.',
      );
    }
  }

  /**
   * Every refusal of `action` by `by` now, in the order a person should hear them: who they are, what
   * the item is, whether the ERP and their permissions allow it, the item's state, what the ERP needs
   * before a send, separation of duties. Reads the person, the item and its decisions once.
   */
  private async check(action: ItemAction, type: ItemType, ref: string, by: string): Promise<Checked> {
    const { db, profile, settings } = this.deps;
    // A decision reads the round's history and route with the item (its sender, whose turn it is).
    const decision = DECISIONS.includes(action);
    const [actor, loaded] = await Promise.all([this.actor(by), loadItem(db, type, ref, { withRecords: decision })]);
    const notSupported = unsupported(action, loaded.item, profile);
    if (notSupported) throw notSupported;
    assertPermitted(actor, action, loaded.item);
    const status = loaded.erp.status;
    const history = loaded.records?.history;
    if (!canApply(status, action))
      throw wrongState(type, ref, status, action, history ? recordedDecisions(history) : await decisionsOf(db, loaded.erp.id));
    if (SEND_ACTIONS.includes(action)) assertSendable(profile, loaded.item, settings);
    // Only a decision needs the round's sender (separation of duties, and the self-approved mark).
    const sender = history ? roundSender(recordedDecisions(history)) : null;
    const selfApproval = selfApprovalRefusal(action, actor, sender, this.rules.allowSelfApproval, itemName(type, ref));
    if (selfApproval) throw selfApproval;
    const route = loaded.records?.reviewed?.route;
    const onBehalfOf =
      decision && route && status === 'ReadyToExport' ? await this.turnCheck(type, ref, route, history ?? [], action, actor, sender) : null;
    return { ...loaded, actor, sender, onBehalfOf };
  }

  /**
   * Accept and reject belong to the approvers whose turn it is on the round's route, or to whom one of
   * them, away, delegated: the delegate decides on their behalf (the answer), and separation of duties
   * holds for both. Delegations are read only for someone the step does not name.
   */
  private async turnCheck(
    type: ItemType,
    ref: string,
    frozen: Route,
    history: readonly RouteEntry[],
    action: ItemAction,
    actor: Actor,
    sender: Person | null,
  ): Promise<Person | null> {
    const what = itemName(type, ref);
    const route = withEscalations(frozen, history);
    const approvals = roundApprovals(history);
    const turn = turnRefusal(what, route, approvals, action, actor);
    if (!turn) {
      const twice = earlierStepRefusal(what, route, approvals, action, actor);
      if (twice) throw twice;
      return null;
    }
    const principal = delegatorFor(route, approvals, actor.id, await awayFor(this.deps.db, actor.id));
    if (!principal) throw turn;
    // Separation of duties first, as for anyone deciding for themselves.
    const refusal =
      selfApprovalRefusal(action, actor, sender, this.rules.allowSelfApproval, what, principal) ??
      routeRefusal(what, route, approvals, action, actor, principal);
    if (refusal) throw refusal;
    return principal;
  }

  /**
   * Refuses a send whose route has a step nobody could decide (its only approvers the sender, or
   * people who lost the approver's permissions): the round would wait for ever. The round chooses its
   * route again when it opens; this is the early, clear answer.
   */
  private async assertDecidable(kind: 'send' | 'resend', type: ItemType, ref: string, sender: Actor, item: RoutedItem): Promise<void> {
    const { route, people } = await routeAndPeople(this.deps.db, item);
    if (!route.policy) return;
    const cannot = (person: Person): string | null => {
      if (person.id === sender.id && !this.rules.allowSelfApproval) return `${person.name} is sending it (separation of duties)`;
      const approver = people.get(person.id);
      if (!approver) return `${person.name} is no longer in the directory`;
      const missing = approverGaps(approver);
      return missing.length > 0 ? `${person.name} lacks ${missing.join(' and ')}` : null;
    };
    const stuck = undecidableSteps(route, cannot);
    if (stuck.length === 0) return;
    const words = stuck.map(
      ({ step, reasons }) => `${stepLabel(step, route.steps.length, route.steps[step]!.name)}: ${reasons.join(', ')}`,
    );
    throw new RequirementsNotMet(
      `${capitalized(itemName(type, ref))} cannot be ${ACTION_PAST[kind]}: nobody could decide ${words.join('; ')}. ` +
        `Ask an administrator to change the approval policy "${route.policy.name}".`,
      stuck.map(({ step, reasons }) => ({ field: `approvalPolicy.steps.${step}`, reason: reasons.join(', ') })),
    );
  }

  /** Starts a submission round and answers once the send is validated and recorded (or refused). */
  private async open(kind: 'send' | 'resend', type: ItemType, ref: string, by: string): Promise<ItemView> {
    const { client, taskQueue, exportPolicy } = this.deps;
    const { actor, item, erp } = await this.check(kind, type, ref, by);
    const from = erp.status;
    const total = totalCents(item);
    await this.assertDecidable(kind, type, ref, actor, { type, projectRef: item.projectRef, totalCents: total });
    const roundItem: RoundItem = { type, ref, projectRef: item.projectRef, title: item.title, totalCents: total, creator: item.createdBy };
    const input: RoundInput = {
      item: roundItem,
      kind,
      fromStatus: from,
      round: erp.round + 1,
      by: { id: actor.id, name: actor.name },
      exportPolicy,
    };
    const workflowId = approvalWorkflowId(type, ref);
    const start = () =>
      client.workflow.executeUpdateWithStart(submissionUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(approvalRound, {
          workflowId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          typedSearchAttributes: [
            { key: ErpStatusKey, value: from },
            { key: ErpItemTypeKey, value: type },
            { key: ErpItemRefKey, value: ref },
            { key: ErpProjectKey, value: item.projectRef },
          ],
          staticSummary: `${itemName(type, ref)} · ${item.title}${total === null ? '' : ` · ${formatMoney(total)}`} · by ${item.createdBy.name}`,
          staticDetails:
            `**${capitalized(itemName(type, ref))}** in project ${item.projectRef}, round ${input.round}, ` +
            `${ACTION_PAST[kind]} by ${actor.name}. Created by ${item.createdBy.name}.`,
        }),
      });
    // A round already runs under this ID: either another send won the race (refused at once), or the
    // previous round has decided and is still finishing its notices (waited for, briefly).
    const recordedStatus = () => recordStatus(this.deps.db, erp.id);
    const stillDelivering = (now: ErpStatus) =>
      new AlreadyInReview(
        `${itemName(type, ref)} is ${statusLabel(now)}, but its previous round is still delivering its notices ` +
          '(a worker may be catching up); nothing was sent. Try again in a minute.',
      );
    const started = async () => {
      try {
        await start();
        return true;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw domainErrorFrom(err) ?? err;
      }
    };
    if (!(await started())) {
      const running = await this.deps.client.workflow
        .getHandle(workflowId)
        .query(roundStateQuery)
        .catch(() => undefined);
      const now = await recordedStatus();
      if (isInReview(now)) throw alreadyInReview(type, ref, now);
      // Another send's round has started and not yet recorded its send.
      if (running && running.round > erp.round) throw alreadyInReview(type, ref);
      await this.previousRoundFinished(workflowId);
      if (!(await started())) {
        const after = await recordedStatus();
        throw isInReview(after) ? alreadyInReview(type, ref, after) : stillDelivering(after);
      }
    }
    return this.view(type, ref);
  }

  private async previousRoundFinished(workflowId: string): Promise<void> {
    const handle = this.deps.client.workflow.getHandle(workflowId);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async roundRunning(handle: WorkflowHandle): Promise<boolean> {
    try {
      return (await handle.describe()).status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Waits (briefly) until the round's own status is the recorded one. */
  private async roundCaughtUp(handle: WorkflowHandle, recorded: ErpStatus): Promise<boolean> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const state = await handle.query(roundStateQuery);
      if (state.status === recorded && !state.pending) return true;
      if (state.status !== 'Exporting') return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  /**
   * Hands a person's decision to the running round and answers with the round's state as the Update
   * returned it (nothing is read again). The round's validator decides who wins a race.
   */
  async decision(action: DecisionAction, type: ItemType, ref: string, request: DecisionRequest): Promise<RoundState> {
    const { db, client } = this.deps;
    if (action === 'reject') {
      const problem = reasonProblem(request.reason?.trim() ?? '');
      if (problem) throw new InvalidRequest(problem);
    }
    const noteRefusal = action === 'accept' && request.description ? noteProblem(request.description) : undefined;
    if (noteRefusal) throw new InvalidRequest(noteRefusal);
    const { actor, erp, sender, onBehalfOf } = await this.check(action, type, ref, request.by);
    const from = erp.status;
    if (request.round !== undefined && request.round !== erp.round) throw reviewedEarlierRound(type, ref, from, request.round, erp.round);
    // Every check above was made against this round: the decision names it, and the round refuses it if
    // another has opened since (a decision held up on its way must not land on a newer round, perhaps
    // one its own decider sent).
    const decider = { by: { id: actor.id, name: actor.name }, ...(onBehalfOf ? { onBehalfOf } : {}), round: erp.round };
    // Only reached with ALLOW_SELF_APPROVAL (the check refuses it otherwise): the history says so.
    const selfApproved = sender?.id === actor.id ? { selfApproved: true } : {};

    const handle = client.workflow.getHandle(approvalWorkflowId(type, ref));
    const send = async () => {
      switch (action) {
        case 'accept':
          return handle.executeUpdate(acceptUpdate, {
            args: [{ ...decider, description: request.description?.trim() || undefined, ...selfApproved }],
          });
        case 'reject':
          return handle.executeUpdate(rejectUpdate, { args: [{ ...decider, reason: request.reason?.trim() ?? '', ...selfApproved }] });
        case 'retry-export':
          return handle.executeUpdate(retryExportUpdate, { args: [{ ...decider, ...selfApproved }] });
        case 'retrieve':
          return handle.executeUpdate(retrieveUpdate, { args: [decider] });
      }
    };
    try {
      try {
        return await send();
      } catch (err) {
        // The record is written just before the round takes the result in (an export that has just
        // failed, say): the record allowed the action, so let the round catch up, then ask once more.
        // Only then: a round whose status is the recorded one refused for its own reason (another
        // person's decision in flight), and asking again would make one click a second decision.
        const refusal = domainErrorFrom(err);
        if (!(refusal instanceof NotAwaitingDecision) || refusal.status === from) throw err;
        if (!(await this.roundCaughtUp(handle, from))) throw err;
        return await send();
      }
    } catch (err) {
      const refusal = domainErrorFrom(err);
      if (refusal) throw refusal;
      // The round closed between our read and the update: answer from the record.
      const now = await recordStatus(db, erp.id);
      if (!canApply(now, action)) throw wrongState(type, ref, now, action, await decisionsOf(db, erp.id));
      if (err instanceof WorkflowNotFoundError || !(await this.roundRunning(handle))) {
        throw new RoundNotRunning(
          `${itemName(type, ref)} is ${statusLabel(now)}, but its review round is no longer running ` +
            `(it was terminated or failed). An operator can release it: npm run ops -- release ${type} ${ref}`,
        );
      }
      throw err;
    }
  }
}
