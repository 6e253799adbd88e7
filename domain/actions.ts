/**
 * Which actions would pass now, and why the others would not: the seeds' greyed-out button with its
 * tooltip. The API's `availableActions`/`unavailable`, Slack's buttons and `/erp status` all read this.
 */
import { parentProblem, type ErpProfile, type ErpSettings } from './erp-profiles';
import { SeparationOfDuties } from './errors';
import { ITEM_TYPE_INFO } from './item-types';
import type { Item, Person } from './items';
import { missingPermissions, type Actor } from './permissions';
import { ACTION_PAST, canApply, ITEM_ACTIONS, statusLabel, type ErpStatus, type ItemAction } from './statuses';

/** Accept, reject and retry are the approver's; nobody decides a round they sent themselves. */
export const DECISIONS: readonly ItemAction[] = ['accept', 'reject', 'retry-export'];

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

/** Separation of duties: the refusal when `actor` would decide a round they sent, or null. */
export function selfApprovalRefusal(
  action: ItemAction,
  actor: Pick<Actor, 'id' | 'name'>,
  sentBy: Person | null | undefined,
  allowSelfApproval: boolean,
  what: string,
): SeparationOfDuties | null {
  if (!DECISIONS.includes(action) || allowSelfApproval || !sentBy || sentBy.id !== actor.id) return null;
  return new SeparationOfDuties(
    `${actor.name} sent ${what} for this round, so cannot also ${action === 'retry-export' ? 'retry its export' : `${action} it`}: ` +
      'another accounting approver must decide (separation of duties).',
  );
}

/** Every reason `action` would be refused now; empty when it would pass. */
export function refusalsOf(action: ItemAction, context: ActionContext): string[] {
  const { item, status, profile, settings, actor } = context;
  const info = ITEM_TYPE_INFO[item.type];
  const what = `${info.label} ${item.ref}`;
  const reasons: string[] = [];
  if (action === 'void' && !info.voidable) reasons.push(`A ${info.label} cannot be voided.`);
  else if (!profile.supports[item.type]?.includes(action))
    reasons.push(`${profile.name} does not support "${action}" for a ${info.label}.`);
  if (!canApply(status, action)) {
    reasons.push(`${what} is ${statusLabel(status)}, so it cannot be ${ACTION_PAST[action]}.`);
  } else if (action === 'send' || action === 'resend') {
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
