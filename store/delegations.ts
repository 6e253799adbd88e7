/** Out-of-office delegations: one per approver, read as the desk and the notifier need them. */
import type { Delegation as DelegationRow, User } from '@prisma/client';
import { delegationActive, delegationProblems, type Delegation } from '../domain/delegation';
import { InvalidItem, NotAnApprover, UnknownReference, UnknownUser } from '../domain/errors';
import type { DelegationInput } from '../domain/intake';
import type { Person } from '../domain/items';
import { missingPermissions } from '../domain/permissions';
import { getCalendar } from './calendar';
import type { Db, Tx } from './prisma';
import { actorOf } from './users';

type Row = DelegationRow & { user: User; to: User };

const person = (user: User): Person => ({ id: user.id, name: user.name });

function delegationOf(row: Row): Delegation {
  return { approver: person(row.user), to: person(row.to), from: row.startDate, until: row.untilDate };
}

const withPeople = { user: true, to: true } as const;

export async function findDelegation(db: Db | Tx, userId: string): Promise<Delegation | null> {
  const row = await db.delegation.findUnique({ where: { userId }, include: withPeople });
  return row && delegationOf(row);
}

/**
 * Sets an approver's out-of-office, replacing any before it. The delegate must be someone else who
 * holds the accounting approver's permissions now (they are checked again at every decision).
 */
export async function putDelegation(db: Db, userId: string, input: DelegationInput, now = new Date()): Promise<Delegation> {
  const [approver, delegate, calendar] = await Promise.all([
    db.user.findUnique({ where: { id: userId } }),
    db.user.findUnique({ where: { id: input.to }, include: { permissions: true } }),
    getCalendar(db),
  ]);
  if (!approver) throw new UnknownUser(`There is no user "${userId}".`);
  const [problem] = delegationProblems(userId, input, now, calendar.timeZone);
  if (problem) throw new InvalidItem(`${problem.field}: ${problem.message}.`, problem.field);
  if (!delegate) throw new UnknownReference(`to: there is no user "${input.to}"; push the user first.`, 'to');
  const missing = missingPermissions(actorOf(delegate), 'accept', { type: 'commitment', projectRef: '' });
  if (missing.length > 0)
    throw new NotAnApprover(`to: ${delegate.name} cannot decide in ${approver.name}'s place: missing ${missing.join(' and ')}.`, 'to');
  const data = { toId: input.to, startDate: input.from, untilDate: input.until };
  return delegationOf(await db.delegation.upsert({ where: { userId }, create: { userId, ...data }, update: data, include: withPeople }));
}

/** Ends an approver's out-of-office; false when there was none. */
export async function deleteDelegation(db: Db, userId: string): Promise<boolean> {
  const { count } = await db.delegation.deleteMany({ where: { userId } });
  return count > 0;
}

/** The delegations to `delegateId` that hold now. */
export async function activeDelegationsTo(db: Db | Tx, delegateId: string, now = new Date()): Promise<Delegation[]> {
  const [rows, calendar] = await Promise.all([
    db.delegation.findMany({ where: { toId: delegateId }, include: withPeople }),
    getCalendar(db),
  ]);
  return rows.map(delegationOf).filter((delegation) => delegationActive(delegation, now, calendar.timeZone));
}

/** For each of `approverIds` away now, who decides in their place. */
export async function activeDelegates(db: Db | Tx, approverIds: readonly string[], now = new Date()): Promise<Map<string, Person>> {
  if (approverIds.length === 0) return new Map();
  const [rows, calendar] = await Promise.all([
    db.delegation.findMany({ where: { userId: { in: [...approverIds] } }, include: withPeople }),
    getCalendar(db),
  ]);
  return new Map(
    rows
      .map(delegationOf)
      .filter((delegation) => delegationActive(delegation, now, calendar.timeZone))
      .map((delegation): [string, Person] => [delegation.approver.id, delegation.to]),
  );
}
