/**
 * Approval policies: stored as the company pushes them, and the route a round freezes from the one
 * that applies. The choice itself is `domain/routing.ts`'s.
 */
import type { ApprovalPolicy as PolicyRow, Prisma } from '../generated/prisma';
import { InvalidItem, NotAnApprover, UnknownReference } from '../domain/errors';
import { approverGaps, type Actor } from '../domain/permissions';
import type { PolicyInput } from '../domain/intake';
import {
  applicablePolicy,
  namedUsers,
  policyProblems,
  routeOf,
  type ApprovalPolicy,
  type PolicyStep,
  type Route,
  type RoutedItem,
} from '../domain/routing';
import type { Person } from '../domain/items';
import { actorsById } from './users';
import { writeTransaction, type Db, type Tx } from './prisma';

type Reader = Db | Tx;

function policyOf(row: PolicyRow): ApprovalPolicy {
  return {
    id: row.id,
    name: row.name,
    appliesTo: {
      ...(row.types.length > 0 ? { types: row.types } : {}),
      ...(row.projects.length > 0 ? { projects: row.projects } : {}),
      ...(row.minAmountCents === null ? {} : { minAmountCents: Number(row.minAmountCents) }),
    },
    steps: row.steps as unknown as PolicyStep[],
    slackChannel: row.slackChannel,
  };
}

export async function listPolicies(db: Reader): Promise<ApprovalPolicy[]> {
  return (await db.approvalPolicy.findMany({ orderBy: { id: 'asc' } })).map(policyOf);
}

export async function findPolicy(db: Reader, id: string): Promise<ApprovalPolicy | null> {
  const row = await db.approvalPolicy.findUnique({ where: { id } });
  return row && policyOf(row);
}

/**
 * Stores a policy, after checking that everyone it names is in the directory and holds the accounting
 * approver's permissions now (they are checked again at every decision). Rounds in flight keep the
 * route they froze.
 */
export async function putPolicy(db: Db, id: string, input: PolicyInput): Promise<ApprovalPolicy> {
  const steps: PolicyStep[] = input.steps.map((step) => ({
    name: step.name,
    approvers: step.approvers,
    quorum: step.quorum,
    remindAfter: step.remindAfter ?? null,
    escalateAfter: step.escalateAfter ?? null,
    escalateTo: step.escalateTo,
  }));
  const [problem] = policyProblems({ appliesTo: input.appliesTo, steps });
  if (problem) throw new InvalidItem(`${problem.field}: ${problem.message}.`, problem.field);
  return writeTransaction(db, async (tx) => {
    const ids = namedUsers({ steps });
    const byId = await actorsById(tx, ids);
    steps.forEach((step, index) => {
      const named = [
        ...step.approvers.map((userId) => ({ userId, field: 'approvers' })),
        ...(step.escalateTo ?? []).map((userId) => ({ userId, field: 'escalateTo' })),
      ];
      for (const { userId, field } of named) {
        const where = `steps.${index}.${field}`;
        const actor = byId.get(userId);
        if (!actor) throw new UnknownReference(`${where}: there is no user "${userId}"; push the user first.`, where);
        const missing = approverGaps(actor);
        if (missing.length > 0) throw new NotAnApprover(`${where}: ${actor.name} cannot approve: missing ${missing.join(' and ')}.`, where);
      }
    });
    const data = {
      name: input.name,
      types: [...new Set(input.appliesTo.types ?? [])],
      projects: [...new Set(input.appliesTo.projects ?? [])],
      minAmountCents: input.appliesTo.minAmount === undefined ? null : BigInt(input.appliesTo.minAmount),
      steps: steps as unknown as Prisma.InputJsonArray,
      slackChannel: input.slackChannel ?? null,
    };
    return policyOf(await tx.approvalPolicy.upsert({ where: { id }, create: { id, ...data }, update: data }));
  });
}

/** Removes a policy; false when there was none. Rounds in flight keep the route they froze. */
export async function deletePolicy(db: Db, id: string): Promise<boolean> {
  const { count } = await db.approvalPolicy.deleteMany({ where: { id } });
  return count > 0;
}

/**
 * The route a round of `item` follows now (the applicable policy's steps with their approvers named,
 * or the default), and the people it names as they stand now, with their permissions, by id.
 */
export async function routeAndPeople(tx: Reader, item: RoutedItem): Promise<{ route: Route; people: Map<string, Actor> }> {
  const policy = applicablePolicy(await listPolicies(tx), item);
  if (!policy) return { route: routeOf(null, new Map()), people: new Map() };
  const people = await actorsById(tx, namedUsers(policy));
  const names = new Map([...people.values()].map((person): [string, Person] => [person.id, { id: person.id, name: person.name }]));
  return { route: routeOf(policy, names), people };
}

/** The route a round of `item` follows now. */
export async function routeFor(tx: Reader, item: RoutedItem): Promise<Route> {
  return (await routeAndPeople(tx, item)).route;
}
