/**
 * Approval routing: which policy applies to an item, the route a round follows (its steps, frozen when
 * the round opens), and where a round stands on it. Plain functions; the store keeps the policies, the
 * round's workflow walks the route, the views show it.
 */
import { NotOnRoute, NotYourTurn, type DomainError, type Turn } from './errors';
import { ITEM_TYPE_INFO, type ItemType } from './item-types';
import { deciderWords, formatMoney, type Person } from './items';

export const QUORUMS = ['any', 'all'] as const;
/** `any`: one of the step's approvers accepting ends the step; `all`: every one of them must. */
export type Quorum = (typeof QUORUMS)[number];

export interface PolicyStep {
  name: string;
  /** User ids. */
  approvers: string[];
  quorum: Quorum;
  /** ISO-8601 durations counted in the company calendar's working time. */
  remindAfter?: string | null;
  escalateAfter?: string | null;
  escalateTo?: string[];
}

export interface PolicyScope {
  types?: ItemType[];
  projects?: string[];
  /** Compared with the item's total; a policy with a minimum never applies to an item without one (a project). */
  minAmountCents?: number | null;
}

export interface ApprovalPolicy {
  id: string;
  name: string;
  appliesTo: PolicyScope;
  steps: PolicyStep[];
  /** The Slack channel of its items' review requests, where its steps' approvers are asked; none: the approvers' channel and direct messages. */
  slackChannel?: string | null;
}

/** What a policy is matched against. */
export interface RoutedItem {
  type: ItemType;
  projectRef: string;
  totalCents: number | null;
}

/** A step as a round carries it: the approvers named, so every notice and view can say who. */
export interface RouteStep {
  name: string;
  /** Empty: any accounting approver (the route of an item no policy applies to). */
  approvers: Person[];
  quorum: Quorum;
  remindAfter?: string | null;
  escalateAfter?: string | null;
  escalateTo?: Person[];
  /** Set once the step has waited past `escalateAfter`: `escalateTo` may then decide it. */
  escalated?: boolean;
}

/** The route a round follows, frozen with its reviewed snapshot. */
export interface Route {
  /** The policy it came from, with its Slack channel when it has one; null when none applied. */
  policy: { id: string; name: string; slackChannel?: string } | null;
  steps: RouteStep[];
}

/** The route of an item no policy applies to: one step, any accounting approver. */
export const DEFAULT_ROUTE: Route = {
  policy: null,
  steps: [{ name: 'Accounting approval', approvers: [], quorum: 'any' }],
};

export function policyApplies(policy: ApprovalPolicy, item: RoutedItem): boolean {
  const { types, projects, minAmountCents } = policy.appliesTo;
  if (types && types.length > 0 && !types.includes(item.type)) return false;
  if (projects && projects.length > 0 && !projects.includes(item.projectRef)) return false;
  if (minAmountCents !== undefined && minAmountCents !== null) {
    if (item.totalCents === null || item.totalCents < minAmountCents) return false;
  }
  return true;
}

/**
 * Orders policies from the most specific: one naming projects before one for the whole company, then
 * the highest minimum amount, then one naming item types before one for every type, then by id (so
 * the choice never depends on the order they were stored in).
 */
export function bySpecificity(a: ApprovalPolicy, b: ApprovalPolicy): number {
  const named = (list?: readonly unknown[]) => (list && list.length > 0 ? 1 : 0);
  return (
    named(b.appliesTo.projects) - named(a.appliesTo.projects) ||
    (b.appliesTo.minAmountCents ?? -Infinity) - (a.appliesTo.minAmountCents ?? -Infinity) ||
    named(b.appliesTo.types) - named(a.appliesTo.types) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The policy that applies to the item: the most specific match, or null (the default route). */
export function applicablePolicy(policies: readonly ApprovalPolicy[], item: RoutedItem): ApprovalPolicy | null {
  return [...policies].sort(bySpecificity).find((policy) => policyApplies(policy, item)) ?? null;
}

/** "change orders and commitments in projects P1, P2 of $10,000.00 or more", for lists and review requests. */
export function scopeWords(scope: PolicyScope): string {
  const types =
    scope.types && scope.types.length > 0 ? scope.types.map((type) => `${ITEM_TYPE_INFO[type].label}s`).join(' and ') : 'every item';
  const projects =
    scope.projects && scope.projects.length > 0
      ? ` in project${scope.projects.length > 1 ? 's' : ''} ${scope.projects.join(', ')}`
      : ' in every project';
  const amount =
    scope.minAmountCents === undefined || scope.minAmountCents === null ? '' : ` of ${formatMoney(scope.minAmountCents)} or more`;
  return `${types}${projects}${amount}`;
}

/** The route a policy gives, its approvers named (`people` holds every id the policy names). */
export function routeOf(policy: ApprovalPolicy | null, people: ReadonlyMap<string, Person>): Route {
  if (!policy) return DEFAULT_ROUTE;
  const named = (ids: readonly string[] = []) => ids.map((id) => people.get(id) ?? { id, name: id });
  return {
    policy: { id: policy.id, name: policy.name, ...(policy.slackChannel ? { slackChannel: policy.slackChannel } : {}) },
    steps: policy.steps.map((step) => ({
      name: step.name,
      approvers: named(step.approvers),
      quorum: step.quorum,
      ...(step.remindAfter ? { remindAfter: step.remindAfter } : {}),
      ...(step.escalateAfter ? { escalateAfter: step.escalateAfter } : {}),
      ...(step.escalateTo && step.escalateTo.length > 0 ? { escalateTo: named(step.escalateTo) } : {}),
    })),
  };
}

/** Every user id a policy names (approvers and escalation targets), each once. */
export function namedUsers(policy: Pick<ApprovalPolicy, 'steps'>): string[] {
  return [...new Set(policy.steps.flatMap((step) => [...step.approvers, ...(step.escalateTo ?? [])]))];
}

/** One approval given at a step of the round. */
export interface StepApproval {
  step: number;
  /** Whose approval it counts as: the approver, also when a delegate gave it in their place. */
  by: Person;
  at: string;
  /** The delegate who gave it, when the approver was away. */
  delegate?: Person;
}

export type StepStatus = 'approved' | 'waiting' | 'pending' | 'rejected';

/** Where the round stands on its route. */
export interface RouteProgress {
  /** The step waiting for decisions, or null once every step has approved (or the round ended otherwise). */
  current: number | null;
  steps: { status: StepStatus; approvedBy: Person[] }[];
}

/** Who may decide a step now: its approvers, and once it has escalated, the people it escalated to (each once). */
export function deciders(step: RouteStep): Person[] {
  const added = step.escalated ? (step.escalateTo ?? []).filter((person) => !step.approvers.some((a) => a.id === person.id)) : [];
  return [...step.approvers, ...added];
}

const escalatedTo = (step: RouteStep, personId: string) =>
  Boolean(step.escalated) && (step.escalateTo ?? []).some((person) => person.id === personId);

/**
 * Whether the approvals given so far meet the step's quorum. Once escalated, one approval by a person
 * it escalated to ends the step whatever its quorum: they were added to decide in the others' place.
 */
export function quorumMet(step: RouteStep, approvedBy: readonly Person[]): boolean {
  if (step.approvers.length === 0 || step.quorum === 'any') return approvedBy.length > 0;
  if (approvedBy.some((person) => escalatedTo(step, person.id))) return true;
  return step.approvers.every((approver) => approvedBy.some((person) => person.id === approver.id));
}

/**
 * Walks the route with the approvals given so far: steps whose quorum is met are approved, the first
 * one not met waits, the rest are pending. `rejected` marks the waiting step as where the round ended.
 */
export function routeProgress(route: Route, approvals: readonly StepApproval[], rejected = false): RouteProgress {
  let current: number | null = null;
  const steps = route.steps.map((step, index): RouteProgress['steps'][number] => {
    const approvedBy = approvals.filter((approval) => approval.step === index).map((approval) => approval.by);
    if (current === null && !quorumMet(step, approvedBy)) {
      current = index;
      return { status: rejected ? 'rejected' : 'waiting', approvedBy };
    }
    return { status: current === null ? 'approved' : 'pending', approvedBy };
  });
  return { current, steps };
}

/** Whether `person` may decide at `step`: one of its approvers, or anyone (any accounting approver) when it names none. */
export function onStep(step: RouteStep, personId: string): boolean {
  return step.approvers.length === 0 || deciders(step).some((approver) => approver.id === personId);
}

function listWords(names: readonly string[], joiner: string): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')}${joiner}${names[names.length - 1]}`;
}

/** "Ann Lee or Bob Ray", "Ann Lee and Bob Ray", "any accounting approver"; "…, or Cole Grant (escalated)" once escalated. */
export function approverWords(step: RouteStep, waitingFor?: readonly Person[]): string {
  if (step.approvers.length === 0) return 'any accounting approver';
  const people = (waitingFor ?? step.approvers).filter(
    (person) => !escalatedTo(step, person.id) || step.approvers.some((a) => a.id === person.id),
  );
  const own = listWords(
    people.map((person) => person.name),
    step.quorum === 'all' ? ' and ' : ' or ',
  );
  const added = step.escalated ? deciders(step).filter((person) => !step.approvers.some((a) => a.id === person.id)) : [];
  if (added.length === 0) return own;
  const escalated = `${listWords(
    added.map((person) => person.name),
    ' or ',
  )} (escalated)`;
  return own ? `${own}, or ${escalated}` : escalated;
}

/** "step 2 of 3 (Controllers)": how every message names a step (`index` from 0). */
export function stepLabel(index: number, count: number, name: string): string {
  return `step ${index + 1} of ${count} (${name})`;
}

/** The people who may decide a step and have not approved yet. */
export function stillWaitingFor(step: RouteStep, approvedBy: readonly Person[]): Person[] {
  return deciders(step).filter((approver) => !approvedBy.some((person) => person.id === approver.id));
}

/**
 * The steps of a route nobody could decide: everyone it names there (its approvers, and those it would
 * escalate to) has a reason not to, as `cannot` says (the sender, under separation of duties; someone
 * who lost the approver's permissions). A round on such a route would wait for ever. A step of any
 * accounting approver always has someone.
 */
export function undecidableSteps(route: Route, cannot: (person: Person) => string | null): { step: number; reasons: string[] }[] {
  return route.steps.flatMap((step, index) => {
    if (step.approvers.length === 0) return [];
    const named = deciders({ ...step, escalated: true });
    const reasons = named.map(cannot);
    return reasons.every((reason) => reason !== null) ? [{ step: index, reasons }] : [];
  });
}

/**
 * Whom a round waits for now: whoever may still approve its waiting step. Empty when that step is any
 * accounting approver's, or when no step waits.
 */
export function waitingPeople(route: Route, approvals: readonly StepApproval[]): Person[] {
  const { current, steps } = routeProgress(route, approvals);
  return current === null ? [] : stillWaitingFor(route.steps[current]!, steps[current]!.approvedBy);
}

/** `waitingPeople` as user ids: what the record keeps for the approvers' queues. */
export function waitingOn(route: Route, approvals: readonly StepApproval[]): string[] {
  return waitingPeople(route, approvals).map((person) => person.id);
}

/** "step 2 of 3 (Controllers): Carl Diaz and Dana Ito": a step and whom it still waits for. */
export function stepWaitWords(index: number, count: number, step: RouteStep, approvedBy: readonly Person[]): string {
  return `${stepLabel(index, count, step.name)}: ${approverWords(step, stillWaitingFor(step, approvedBy))}`;
}

/** ISO-8601 durations of weeks, days, hours and minutes: what working time can be counted in (`P` alone is zero, refused by `policyProblems`). */
export const BUSINESS_DURATION = /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?)?$/;

/** The longest reminder or escalation time a policy may set: 52 weeks (as 7-day weeks of 24-hour days). */
const LONGEST_WAIT_MINUTES = 52 * 7 * 24 * 60;

/** The length of a duration with a day as 24 hours: for telling a zero duration from others, not for the calendar. */
export function durationMinutes(text: string): number {
  const match = BUSINESS_DURATION.exec(text);
  if (!match) return 0;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0'] = match;
  return ((Number(weeks) * 7 + Number(days)) * 24 + Number(hours)) * 60 + Number(minutes);
}

/** A history entry as the route reads it. */
export interface RouteEntry {
  action: string;
  actor: Person | null;
  /** The approver a delegate decided for. */
  onBehalfOf?: Person | null;
  at: Date | string;
  reason?: string | null;
  step?: number | null;
}

/** The entries of the current round: everything since the last send or re-send. */
function currentRound<E extends RouteEntry>(history: readonly E[]): E[] {
  let start = history.length;
  history.forEach((entry, index) => {
    if (entry.action === 'send' || entry.action === 'resend') start = index;
  });
  return history.slice(start);
}

const iso = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());

/** The approvals of the current round in an item's history: its accepts and step approvals since the last send. */
export function roundApprovals(history: readonly RouteEntry[]): StepApproval[] {
  return currentRound(history).flatMap((entry) =>
    (entry.action === 'approve' || entry.action === 'accept') && entry.actor
      ? [
          entry.onBehalfOf
            ? { step: entry.step ?? 0, by: entry.onBehalfOf, at: iso(entry.at), delegate: entry.actor }
            : { step: entry.step ?? 0, by: entry.actor, at: iso(entry.at) },
        ]
      : [],
  );
}

/** The route with the escalations the current round's history records marked on their steps. */
export function withEscalations(route: Route, history: readonly RouteEntry[]): Route {
  const escalated = new Set(
    currentRound(history)
      .filter((entry) => entry.action === 'escalate')
      .map((entry) => entry.step ?? 0),
  );
  return escalatedAt(route, escalated);
}

/** The route with the given steps marked escalated (their escalation targets may decide too). */
export function escalatedAt(route: Route, steps: ReadonlySet<number>): Route {
  if (steps.size === 0) return route;
  return { ...route, steps: route.steps.map((step, index) => (steps.has(index) ? { ...step, escalated: true } : step)) };
}

/** Whose approvals a step of the item view has: an approval given on an approver's behalf counts as theirs. */
export function approvedAt(step: Pick<StepView, 'decisions'>): Person[] {
  return step.decisions.filter((decision) => decision.action === 'approved').map((decision) => decision.onBehalfOf ?? decision.by);
}

/** A step of the latest round as the item view shows it. */
export interface StepView {
  name: string;
  /** approved, waiting (its turn), pending (not yet), rejected (the round ended there), stopped (retrieved or released there). */
  status: StepStatus | 'stopped';
  quorum: Quorum;
  /** Empty: any accounting approver. */
  approvers: Person[];
  /** Set when the step waited past its escalation time: `escalateTo` were added to decide it. */
  escalated?: true;
  escalateTo?: Person[];
  escalateAfter?: string | null;
  /** `by` decided; `onBehalfOf` is the approver they decided for while away. */
  decisions: { by: Person; onBehalfOf?: Person; action: 'approved' | 'rejected'; at: string; reason?: string }[];
}

/**
 * The steps of the latest round, from its frozen route and its history: who decided at each, and
 * where it waits (or ended). Empty when the item has never been sent.
 */
export function roundSteps(route: Route | null, history: readonly RouteEntry[], status: string): StepView[] {
  const entries = currentRound(history);
  if (entries.length === 0) return [];
  const walked = withEscalations(route ?? DEFAULT_ROUTE, history);
  const rejection = entries.find((entry) => entry.action === 'reject' && entry.actor);
  const progress = routeProgress(walked, roundApprovals(history), Boolean(rejection));
  return walked.steps.map((step, index) => {
    const decisions = entries.flatMap((entry): StepView['decisions'] => {
      if (!entry.actor || (entry.step ?? 0) !== index) return [];
      const who = { by: entry.actor, ...(entry.onBehalfOf ? { onBehalfOf: entry.onBehalfOf } : {}) };
      if (entry.action === 'approve' || entry.action === 'accept') return [{ ...who, action: 'approved' as const, at: iso(entry.at) }];
      if (entry.action === 'reject' && progress.current === index)
        return [{ ...who, action: 'rejected' as const, at: iso(entry.at), ...(entry.reason ? { reason: entry.reason } : {}) }];
      return [];
    });
    // A round retrieved or released while a step waited stopped there.
    const waited = progress.steps[index]!.status;
    const stepStatus: StepView['status'] = waited === 'waiting' && status !== 'ReadyToExport' ? 'stopped' : waited;
    return {
      name: step.name,
      status: stepStatus,
      quorum: step.quorum,
      approvers: step.approvers,
      ...(step.escalated ? { escalated: true as const, escalateTo: step.escalateTo ?? [], escalateAfter: step.escalateAfter ?? null } : {}),
      decisions,
    };
  });
}

/** Where a round stands on its route: the waiting step, who approved it, and the words and facts a refusal gives. */
function standing(what: string, route: Route, approvals: readonly StepApproval[]) {
  const progress = routeProgress(route, approvals);
  if (progress.current === null) return null;
  const index = progress.current;
  const step = route.steps[index]!;
  const approvedBy = progress.steps[index]!.approvedBy;
  const waiting = stillWaitingFor(step, approvedBy);
  const turn: Turn = { step: step.name, stepNumber: index + 1, steps: route.steps.length, waitingFor: waiting };
  const where = `${what} is at ${stepLabel(index, route.steps.length, step.name)}, waiting for ${approverWords(step, waiting)}`;
  return { index, step, approvedBy, turn, where };
}

/**
 * One person does not clear two steps of one round: the refusal when `actor`, or the approver they
 * decide for, approved (or had approved for them) an earlier step of it, or null. Only accepts count.
 */
export function earlierStepRefusal(
  what: string,
  route: Route,
  approvals: readonly StepApproval[],
  action: string,
  actor: Person,
  onBehalfOf?: Person | null,
): DomainError | null {
  if (action !== 'accept') return null;
  const at = standing(what, route, approvals);
  if (!at) return null;
  const people = [actor, ...(onBehalfOf ? [onBehalfOf] : [])];
  const earlier = approvals.find(
    (approval) => approval.step < at.index && people.some((person) => [approval.by.id, approval.delegate?.id].includes(person.id)),
  );
  if (!earlier) return null;
  const who = people.find((person) => [earlier.by.id, earlier.delegate?.id].includes(person.id))!;
  const step = route.steps[earlier.step]!;
  return new NotYourTurn(
    `${at.where}: ${who.name} approved ${stepLabel(earlier.step, route.steps.length, step.name)} already, and one person does not approve two steps of a round.`,
    at.turn,
  );
}

/**
 * Why `by` may not take `action` at the round's current step, or null: accept and reject belong to
 * the approvers of the step whose turn it is, and an approver accepts a step once. Other actions
 * (retry an export, retrieve) do not depend on the route.
 */
export function turnRefusal(
  what: string,
  route: Route,
  approvals: readonly StepApproval[],
  action: string,
  actor: Person,
  onBehalfOf?: Person | null,
): DomainError | null {
  if (action !== 'accept' && action !== 'reject') return null;
  // A delegate takes the turn of the approver they decide for.
  const by = onBehalfOf ?? actor;
  const at = standing(what, route, approvals);
  if (!at) return null;
  const { index, step, approvedBy, turn, where } = at;
  if (onStep(step, by.id)) {
    if (action === 'accept' && approvedBy.some((person) => person.id === by.id))
      return new NotYourTurn(`${by.name} has already approved this step: ${where}.`, turn);
    // One person, one approval per step: a delegate for two of an `all` step's approvers may not be
    // both pairs of eyes.
    const given = approvals.find((approval) => approval.step === index && (approval.delegate ?? approval.by).id === actor.id);
    if (action === 'accept' && given)
      return new NotYourTurn(
        `${actor.name} has already approved this step (${deciderWords(actor, given.delegate ? given.by : null)}), and approves a step once: ${where}.`,
        turn,
      );
    return null;
  }
  if (!step.escalated && (step.escalateTo ?? []).some((person) => person.id === by.id))
    return new NotYourTurn(
      `${where}: ${by.name} is added to this step only once it has waited ${step.escalateAfter} of working time, so cannot ${action} it yet.`,
      turn,
    );
  const named = (candidate: RouteStep) => [...candidate.approvers, ...(candidate.escalateTo ?? [])].some((a) => a.id === by.id);
  const theirs = route.steps.map((candidate, i) => (named(candidate) ? i : -1)).filter((i) => i >= 0);
  if (theirs.length === 0) {
    const policy = route.policy ? ` (policy "${route.policy.name}")` : '';
    return new NotOnRoute(`${by.name} is not an approver on ${what}'s route${policy}: ${where}.`, turn);
  }
  const later = theirs.find((i) => i > index);
  const theirStep = later ?? theirs[theirs.length - 1]!;
  return new NotYourTurn(
    `${where}: ${by.name} decides at step ${theirStep + 1} (${route.steps[theirStep]!.name}), so cannot ${action} it ${later === undefined ? 'any more' : 'yet'}.`,
    turn,
  );
}

/**
 * The approver of the waiting step whose place `actorId` may take, by a delegation that holds now
 * (`awayFor`: the approvers who delegated to the actor), or null. Only for someone the step does not
 * already name, and only for an approver it still waits for.
 */
export function delegatorFor(route: Route, approvals: readonly StepApproval[], actorId: string, awayFor: readonly Person[]): Person | null {
  const progress = routeProgress(route, approvals);
  if (progress.current === null) return null;
  const step = route.steps[progress.current]!;
  if (step.approvers.length === 0 || onStep(step, actorId)) return null;
  const waiting = stillWaitingFor(step, progress.steps[progress.current]!.approvedBy);
  return waiting.find((approver) => awayFor.some((away) => away.id === approver.id)) ?? null;
}

/**
 * What a policy's schema cannot state, as `{ field, message }` (empty when there is nothing): an
 * approver named twice in a step or in two steps, escalation to the step's own approvers or without
 * both when and whom, a zero duration, a negative minimum amount.
 */
export function policyProblems(policy: {
  appliesTo: { minAmount?: number };
  steps: readonly PolicyStep[];
}): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (policy.appliesTo.minAmount !== undefined && policy.appliesTo.minAmount < 0)
    problems.push({ field: 'appliesTo.minAmount', message: 'must not be negative' });
  policy.steps.forEach((step, index) => {
    const at = (field: string) => `steps.${index}.${field}`;
    const twice = step.approvers.find((approver, i) => step.approvers.indexOf(approver) !== i);
    if (twice) problems.push({ field: at('approvers'), message: `names ${twice} twice` });
    // One person does not approve two steps of a round: a step with the same approvers as an earlier one adds no second pair of eyes.
    const earlier = policy.steps
      .slice(0, index)
      .findIndex((before) => before.approvers.some((approver) => step.approvers.includes(approver)));
    if (earlier >= 0) {
      const again = step.approvers.find((approver) => policy.steps[earlier]!.approvers.includes(approver));
      problems.push({
        field: at('approvers'),
        message: `names ${again}, an approver of step ${earlier + 1} too: each step needs other people`,
      });
    }
    const own = (step.escalateTo ?? []).find((person) => step.approvers.includes(person));
    if (own) problems.push({ field: at('escalateTo'), message: `names ${own}, already an approver of this step` });
    for (const field of ['remindAfter', 'escalateAfter'] as const) {
      const value = step[field];
      if (value && durationMinutes(value) === 0) problems.push({ field: at(field), message: 'must be longer than zero' });
      if (value && durationMinutes(value) > LONGEST_WAIT_MINUTES)
        problems.push({ field: at(field), message: 'must be at most a year of working time (P52W)' });
    }
    const escalateTo = step.escalateTo ?? [];
    if (escalateTo.length > 0 && !step.escalateAfter)
      problems.push({ field: at('escalateTo'), message: 'needs escalateAfter: when to add these approvers' });
    if (step.escalateAfter && escalateTo.length === 0)
      problems.push({ field: at('escalateAfter'), message: 'needs escalateTo: whom to add once it has passed' });
  });
  return problems;
}

/**
 * Why `actor` may not take `action` where the round stands on its route, or null: not their turn
 * (`turnRefusal`), or they approved an earlier step already (`earlierStepRefusal`).
 */
export function routeRefusal(
  what: string,
  route: Route,
  approvals: readonly StepApproval[],
  action: string,
  actor: Person,
  onBehalfOf?: Person | null,
): DomainError | null {
  return (
    turnRefusal(what, route, approvals, action, actor, onBehalfOf) ?? earlierStepRefusal(what, route, approvals, action, actor, onBehalfOf)
  );
}
