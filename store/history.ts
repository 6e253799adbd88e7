/** The item's change history: each move by its code, who made it and when. */
import type { RecordedDecision } from '../domain/actions';
import type { Person } from '../domain/items';
import { isTransition } from '../domain/statuses';
import type { Db, Tx } from './prisma';

/** A stored history entry as the rules read it; entries an earlier release wrote in unknown words are left out. */
export function recordedDecisions(entries: readonly { action: string; at: Date; actor: Person | null }[]): RecordedDecision[] {
  return entries.flatMap((entry) =>
    isTransition(entry.action) ? [{ action: entry.action, by: entry.actor, at: entry.at.toISOString() }] : [],
  );
}

/** The moves people made on an item, oldest first: what a refusal quotes as the decision that settled it. */
export async function decisionsOf(db: Db | Tx, erpRecordId: number): Promise<RecordedDecision[]> {
  const entries = await db.historyEntry.findMany({
    where: { erpRecordId, actorId: { not: null } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    select: { action: true, at: true, actor: { select: { id: true, name: true } } },
  });
  return recordedDecisions(entries);
}
