/** Every item's moves in a period, read page by page in one snapshot of the database. */
import { Prisma } from '../generated/prisma';
import type { AuditRow } from '../domain/audit';
import type { Db } from './prisma';

export const AUDIT_PAGE = 500;

/**
 * How long one export may take, the reading of its client included. The pages are read in one
 * REPEATABLE READ transaction, so a move written while the export runs is either in it whole or not
 * at all, never skipped because it committed behind a page already read.
 */
export const AUDIT_TIMEOUT_MS = 30 * 60_000;

/**
 * Calls `onPage` with each page of the moves made from `start` (included) to `end` (excluded), in the
 * order they were made; waits for it before reading the next, so a slow reader holds one page. Answers
 * how many moves there were.
 */
export async function forEachAuditPage(
  db: Db,
  range: { start: Date; end: Date },
  onPage: (rows: AuditRow[]) => Promise<void>,
  pageSize = AUDIT_PAGE,
): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const read = (after: { at: Date; id: number } | null) =>
        tx.historyEntry.findMany({
          where: {
            at: { gte: range.start, lt: range.end },
            ...(after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {}),
          },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
          take: pageSize,
          include: {
            erpRecord: { select: { itemType: true, itemRef: true, projectRef: true } },
            actor: { select: { id: true, name: true } },
            onBehalfOf: { select: { id: true, name: true } },
          },
        });
      let count = 0;
      let entries = await read(null);
      while (entries.length > 0) {
        count += entries.length;
        await onPage(
          entries.map((entry) => ({
            id: entry.id,
            at: entry.at,
            itemType: entry.erpRecord.itemType,
            itemRef: entry.erpRecord.itemRef,
            projectRef: entry.erpRecord.projectRef,
            round: entry.round,
            action: entry.action,
            fromStatus: entry.fromStatus,
            toStatus: entry.toStatus,
            actor: entry.actor,
            onBehalfOf: entry.onBehalfOf,
            reason: entry.reason,
            message: entry.message,
            snapshotHash: entry.snapshotHash,
            selfApproved: entry.selfApproved,
            step: entry.step,
          })),
        );
        if (entries.length < pageSize) break;
        const last = entries[entries.length - 1]!;
        entries = await read({ at: last.at, id: last.id });
      }
      return count;
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 15_000, timeout: AUDIT_TIMEOUT_MS },
  );
}
