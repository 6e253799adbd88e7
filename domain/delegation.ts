/**
 * Out of office: an approver's requests go to a delegate, who decides on the approver's behalf, from one
 * local date to another (both included, on the company calendar's zone). Plain rules; the store keeps
 * delegations and the desk asks them when someone decides in another's place.
 */
import { localDateText } from './calendar';
import type { Person } from './items';

export interface Delegation {
  /** The approver who is away. */
  approver: Person;
  /** Who decides in their place. */
  to: Person;
  /** Local dates, YYYY-MM-DD, both included. */
  from: string;
  until: string;
}

/** Whether the delegation holds at `now`, read as a local date in the calendar's zone. */
export function delegationActive(delegation: Pick<Delegation, 'from' | 'until'>, now: Date, timeZone: string): boolean {
  const today = localDateText(now, timeZone);
  return delegation.from <= today && today <= delegation.until;
}

/** What a delegation's schema cannot state, as `{ field, message }`: to oneself, backwards, or already over. */
export function delegationProblems(
  approverId: string,
  input: { to: string; from: string; until: string },
  now: Date,
  timeZone: string,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (input.to === approverId) problems.push({ field: 'to', message: 'must be someone else: nobody delegates to themselves' });
  if (input.until < input.from) problems.push({ field: 'until', message: `must not be before from (${input.from})` });
  const today = localDateText(now, timeZone);
  if (input.until < today) problems.push({ field: 'until', message: `is in the past (today is ${today} in ${timeZone})` });
  return problems;
}
