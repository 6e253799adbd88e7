/**
 * Which actions would pass now, and why the others would not: the seeds' greyed-out button with its
 * tooltip. The API's `availableActions`/`unavailable`, Slack's buttons and `/erp status` all read this.
 */
import { parentProblem, type ErpProfile, type ErpSettings } from './erp-profiles';
import { AlreadyInReview, NotAwaitingDecision, NotSupported, SeparationOfDuties, type Decision } from './errors';
import { ITEM_TYPE_INFO, itemName, type ItemType } from './item-types';
import type { Item, Person } from './items';
import { missingPermissions, type Actor } from './permissions';
import { capitalized } from './text';
import {
  ACTION_PAST,
  canApply,
  DECISIONS,
  isInReview,
  ITEM_ACTIONS,
  SEND_ACTIONS,
  statusLabel,
  type ErpStatus,
  type ItemAction,
  type Transition,
} from './statuses';

/** One entry of an item's change history, as refusals quote it. */
export interface RecordedDecision {
  action: Transition;
  /** Null for what the export reported. */
  by: Person | null;
  at: string;
}

/**
 * The move that settled the item, as a refusal quotes it: the last one a person made. That is a
 * decision of the current round, or its send where nobody has decided since (never an earlier round's).
 */
function settlingDecision(history: readonly RecordedDecision[]): (RecordedDecision & { by: Person }) | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.by !== null) return { ...entry, by: entry.by };
  }
  return undefined;
}

/** Who sent the current round: whoever made the last send or re-send. */
export function roundSender(history: readonly RecordedDecision[]): Person | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if ((SEND_ACTIONS as readonly Transition[]).includes(entry.action)) return entry.by;
  }
  return null;
}

function decisionFacts(decision: RecordedDecision & { by: Person }): Decision {
  return { action: ACTION_PAST[decision.action], by: decision.by.name, at: decision.at };
}

/** The people's actions an item of `type` allows in `status`, in the order a menu shows them. */
export function actionsAllowed(type: ItemType, status: ErpStatus): ItemAction[] {
  return ITEM_ACTIONS.filter((action) => canApply(status, action) && (action !== 'void' || ITEM_TYPE_INFO[type].voidable));
}

/** "commitment CO-7 is Synced, so it cannot be accepted." */
function cannotBe(what: string, status: ErpStatus, action: ItemAction): string {
  return `${what} is ${statusLabel(status)}, so it cannot be ${ACTION_PAST[action]}.`;
}

/**
 * The refusal of an action the item's status does not allow, in the same words whichever path
 * refuses it (the API, Slack, the round itself): who settled it, and what can be done instead.
 */
export function wrongState(
  type: ItemType,
  ref: string,
  status: ErpStatus,
  action: ItemAction,
  history: readonly RecordedDecision[] = [],
): AlreadyInReview | NotAwaitingDecision {
  const what = itemName(type, ref);
  if (SEND_ACTIONS.includes(action) && isInReview(status)) return alreadyInReview(type, ref, status);
  const last = settlingDecision(history);
  const lastWords = last ? ` It was ${ACTION_PAST[last.action]} by ${last.by.name} at ${last.at}.` : '';
  const options = actionsAllowed(type, status);
  const hint = options.length > 0 ? ` What can be done now: ${options.join(', ')}.` : '';
  return new NotAwaitingDecision(`${cannotBe(what, status, action)}${lastWords}${hint}`, status, last && decisionFacts(last));
}

/** A send of an item whose round is already open (or opening): "… is already in review with accounting (Ready to Export)." */
export function alreadyInReview(type: ItemType, ref: string, status?: ErpStatus): AlreadyInReview {
  return new AlreadyInReview(`${itemName(type, ref)} is already in review with accounting${status ? ` (${statusLabel(status)})` : ''}.`);
}

/** The ERP profile, or the item's type, does not have this action at all (a project is never voided). */
export function unsupported(action: ItemAction, item: Pick<Item, 'type'>, profile: ErpProfile): NotSupported | null {
  const info = ITEM_TYPE_INFO[item.type];
  if (action === 'void' && !info.voidable) return new NotSupported(`A ${info.label} cannot be voided.`);
  if (!profile.supports[item.type]?.includes(action))
    return new NotSupported(`${profile.name} does not support "${action}" for a ${info.label}.`);
  return null;
}

/** Another person's decision is being recorded: the first click wins, the second is told whose it is. */
export function decisionInFlight(
  type: ItemType,
  ref: string,
  status: ErpStatus,
  pending: { action: ItemAction; by: Person; at: string },
): NotAwaitingDecision {
  return new NotAwaitingDecision(
    `${itemName(type, ref)} is already being ${ACTION_PAST[pending.action]} by ${pending.by.name} (since ${pending.at}).`,
    status,
    decisionFacts(pending),
  );
}

/**
 * A decision made on what an earlier round showed (a Slack window left open, say) while the item has
 * since been sent again, maybe changed: refused, so nobody approves a version they did not see.
 */
export function reviewedEarlierRound(
  type: ItemType,
  ref: string,
  status: ErpStatus,
  reviewed: number,
  current: number,
): NotAwaitingDecision {
  if (reviewed > current)
    return new NotAwaitingDecision(
      `${capitalized(itemName(type, ref))} has had no round ${reviewed}: it is in round ${current}. Nothing was decided; open it again to review what it holds now.`,
      status,
    );
  return new NotAwaitingDecision(
    `${itemName(type, ref)} was sent again after round ${reviewed} was opened for review: it is now round ${current}, a new version. ` +
      'Nothing was decided; open it again to review what it holds now.',
    status,
  );
}

/** The round has started but its send is not recorded yet. */
export function stillBeingSent(type: ItemType, ref: string, status: ErpStatus): NotAwaitingDecision {
  return new NotAwaitingDecision(`${itemName(type, ref)} is still being sent; try again in a moment.`, status);
}

export interface ActionContext {
  item: Item;
  status: ErpStatus;
  profile: ErpProfile;
  settings: ErpSettings;
  /** The person asking; without one, permissions are left out. */
  actor?: Actor;
  /** Who sent (or re-sent) the current round. */
  sentBy?: Person | null;
  allowSelfApproval: boolean;
}

/**
 * Separation of duties: the refusal when `actor` would decide a round they sent, or one sent by the
 * approver they decide for (`onBehalfOf`, a delegation), or null.
 */
export function selfApprovalRefusal(
  action: ItemAction,
  actor: Pick<Actor, 'id' | 'name'>,
  sentBy: Person | null | undefined,
  allowSelfApproval: boolean,
  what: string,
  onBehalfOf?: Person | null,
): SeparationOfDuties | null {
  if (!DECISIONS.includes(action) || allowSelfApproval || !sentBy) return null;
  if (onBehalfOf && sentBy.id === onBehalfOf.id)
    return new SeparationOfDuties(
      `${onBehalfOf.name} sent ${what} for this round, so ${actor.name} cannot ${action} it on ${onBehalfOf.name}'s behalf: ` +
        'another accounting approver must decide (separation of duties).',
    );
  if (sentBy.id !== actor.id) return null;
  return new SeparationOfDuties(
    `${actor.name} sent ${what} for this round, so cannot also ${action === 'retry-export' ? 'retry its export' : `${action} it`}: ` +
      'another accounting approver must decide (separation of duties).',
  );
}

/** Every reason `action` would be refused now; empty when it would pass. */
function refusalsOf(action: ItemAction, context: ActionContext): string[] {
  const { item, status, profile, settings, actor } = context;
  const what = itemName(item.type, item.ref);
  const reasons: string[] = [];
  const notSupported = unsupported(action, item, profile);
  if (notSupported) reasons.push(notSupported.message);
  if (!canApply(status, action)) {
    reasons.push(cannotBe(what, status, action));
  } else if (SEND_ACTIONS.includes(action)) {
    const parent = parentProblem(profile, item);
    if (parent) reasons.push(parent.message);
    else reasons.push(...profile.check(item, settings).map((violation) => violation.reason));
  }
  if (actor) {
    const missing = missingPermissions(actor, action, item);
    if (missing.length > 0) reasons.push(`${actor.name} is missing ${missing.join(' and ')}.`);
    const selfApproval = selfApprovalRefusal(action, actor, context.sentBy, context.allowSelfApproval, what);
    if (selfApproval) reasons.push(selfApproval.message);
  }
  return reasons;
}

export interface Availability {
  availableActions: ItemAction[];
  unavailable: { action: ItemAction; reasons: string[] }[];
}

export function availability(context: ActionContext): Availability {
  const result: Availability = { availableActions: [], unavailable: [] };
  for (const action of ITEM_ACTIONS) {
    const reasons = refusalsOf(action, context);
    if (reasons.length === 0) result.availableActions.push(action);
    else result.unavailable.push({ action, reasons });
  }
  return result;
}

/** The most items one bulk decision (API, `/erp accept`, App Home) may name. */
export const BULK_MAX = 200;
