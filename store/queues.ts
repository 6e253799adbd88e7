/**
 * What waits for a person: approvers see Ready to Export and Failed to Export; creators their
 * rejected items. Each list is counted in full but read only as far as it is shown, so building a
 * queue costs the same with 10 or 10,000 items waiting.
 */
import { recordSummary, WITH_TITLE } from './items';
import type { Db } from './prisma';
import type { ItemType } from '../domain/item-types';
import type { ErpStatus } from '../domain/statuses';
import { formatMoney } from '../domain/items';

export interface QueueItem {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string | null;
  detail: string | null;
  /** From the latest round's reviewed snapshot: what the approvers see and decide on. */
  amount: string | null;
  snapshotHash: string | null;
}

export interface QueueList {
  total: number;
  /** The oldest first, at most the number asked for. */
  items: QueueItem[];
}

async function byStatus(db: Db, status: ErpStatus, limit: number, creatorId?: string): Promise<QueueList> {
  const where = {
    status,
    ...(creatorId
      ? {
          OR: [
            { project: { createdById: creatorId } },
            { commitment: { createdById: creatorId } },
            { changeOrder: { createdById: creatorId } },
          ],
        }
      : {}),
  };
  const [total, records] = await Promise.all([
    db.erpRecord.count({ where }),
    db.erpRecord.findMany({
      where,
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: limit,
      include: { ...WITH_TITLE, snapshots: { orderBy: { round: 'desc' }, take: 1, select: { hash: true, review: true } } },
    }),
  ]);
  return {
    total,
    items: records.map((r) => {
      const snapshot = r.snapshots[0];
      const totalCents = (snapshot?.review as { totalCents?: number | null } | undefined)?.totalCents ?? null;
      return {
        ...recordSummary(r),
        detail: status === 'FailedToExport' ? r.exportError : status === 'Rejected' ? r.lastRejectionReason : null,
        amount: totalCents === null ? null : formatMoney(totalCents),
        snapshotHash: snapshot?.hash ?? null,
      };
    }),
  };
}

export async function approverQueue(db: Db, limit: number) {
  const [readyToExport, failedToExport] = await Promise.all([byStatus(db, 'ReadyToExport', limit), byStatus(db, 'FailedToExport', limit)]);
  return { readyToExport, failedToExport };
}

export async function creatorQueue(db: Db, userId: string, limit: number) {
  return { rejected: await byStatus(db, 'Rejected', limit, userId) };
}
