/** Out-of-office delegations: one per approver, read as the desk and the notifier need them. */
import type { Delegation as DelegationRow, Prisma, User } from '../generated/prisma';
import { delegationActive, delegationProblems, type Delegation } from '../domain/delegation';
import { InvalidItem, NotAnApprover, UnknownReference, UnknownUser } from '../domain/errors';
import type { DelegationInput } from '../domain/intake';
import type { Person } from '../domain/items';
import { approverGaps } from '../domain/permissions';
import { getCalendar } from './calendar';
import type { Db, Tx } from './prisma';
import { findActor } from './users';

type Row = DelegationRow & { user: User; to: User };

/** A delegation, and whether it holds now (on the company calendar's dates). */
export type HeldDelegation = Delegation & { active: boolean };

const person = (user: User): Person => ({ id: user.id, name: user.name });
const withPeople = { user: true, to: true } as const;

function delegationOf(row: Row, now: Date, timeZone: string): HeldDelegation {
  const delegation = { approver: person(row.user), to: person(row.to), from: row.startDate, until: row.untilDate };
  return { ...delegation, active: delegationActive(delegation, now, timeZone) };
}

/** The delegations `where` selects, each with whether it holds now. */
async function delegations(db: Db | Tx, where: Prisma.DelegationWhereInput, now: Date): Promise<HeldDelegation[]> {
  const [rows, calendar] = await Promise.all([db.delegation.findMany({ where, include: withPeople }), getCalendar(db)]);
  return rows.map((row) => delegationOf(row, now, calendar.timeZone));
}

export async function findDelegation(db: Db | Tx, userId: string, now = new Date()): Promise<HeldDelegation | null> {
  return (await delegations(db, { userId }, now))[0] ?? null;
}

/**
 * Sets an approver's out-of-office, replacing any before it. The delegate must be someone else who
 * holds the accounting approver's permissions now (they are checked again at every decision).
 */
export async function putDelegation(db: Db, userId: string, input: DelegationInput, now = new Date()): Promise<HeldDelegation> {
  const [approver, delegate, calendar] = await Promise.all([
    db.user.findUnique({ where: { id: userId } }),
    findActor(db, input.to),
    getCalendar(db),
  ]);
  if (!approver) throw new UnknownUser(`There is no user "${userId}".`);
  const [problem] = delegationProblems(userId, input, now, calendar.timeZone);
  if (problem) throw new InvalidItem(`${problem.field}: ${problem.message}.`, problem.field);
  if (!delegate) throw new UnknownReference(`to: there is no user "${input.to}"; push the user first.`, 'to');
  const missing = approverGaps(delegate);
  if (missing.length > 0)
    throw new NotAnApprover(`to: ${delegate.name} cannot decide in ${approver.name}'s place: missing ${missing.join(' and ')}.`, 'to');
  const data = { toId: input.to, startDate: input.from, untilDate: input.until };
  const row = await db.delegation.upsert({ where: { userId }, create: { userId, ...data }, update: data, include: withPeople });
  return delegationOf(row, now, calendar.timeZone);
}

/** Ends an approver's out-of-office; false when there was none. */
export async function deleteDelegation(db: Db, userId: string): Promise<boolean> {
  const { count } = await db.delegation.deleteMany({ where: { userId } });
  return count > 0;
}

/** The approvers who delegated to `delegateId` and are away now. */
export async function awayFor(db: Db | Tx, delegateId: string, now = new Date()): Promise<Person[]> {
  return (await delegations(db, { toId: delegateId }, now)).filter((held) => held.active).map((held) => held.approver);
}

/** For each of `approverIds` away now, who decides in their place. */
async function activeDelegates(db: Db | Tx, approverIds: readonly string[], now = new Date()): Promise<Map<string, Person>> {
  if (approverIds.length === 0) return new Map();
  const held = await delegations(db, { userId: { in: [...approverIds] } }, now);
  return new Map(
    held.filter((delegation) => delegation.active).map((delegation): [string, Person] => [delegation.approver.id, delegation.to]),
  );
}

/** Whom to ask for each approver: the approver, or while they are away their delegate (for them). */
export async function whomToAsk(db: Db, approvers: readonly Person[]): Promise<{ person: Person; forWhom?: Person }[]> {
  const delegates = await activeDelegates(
    db,
    approvers.map((approver) => approver.id),
  );
  return approvers.map((approver) => {
    const delegate = delegates.get(approver.id);
    return delegate ? { person: delegate, forWhom: approver } : { person: approver };
  });
}
