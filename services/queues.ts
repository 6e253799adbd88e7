/** What waits for a person: approvers see Ready to Export and Failed to Export; creators their rejected items. */
import type { Db } from '../store/prisma';
import type { ItemType } from '../domain/item-types';
import type { ErpStatus } from '../domain/statuses';

export interface QueueItem {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string | null;
  detail: string | null;
}

const include = { project: { select: { name: true } }, commitment: { select: { title: true } }, changeOrder: { select: { title: true } } } as const;

async function byStatus(db: Db, status: ErpStatus, creatorId?: string): Promise<QueueItem[]> {
  const records = await db.erpRecord.findMany({
    where: {
      status,
      ...(creatorId
        ? { OR: [{ project: { createdById: creatorId } }, { commitment: { createdById: creatorId } }, { changeOrder: { createdById: creatorId } }] }
        : {}),
    },
    orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
    include,
  });
  return records.map((r) => ({
    type: r.itemType,
    ref: r.itemRef,
    projectRef: r.projectRef,
    title: r.project?.name ?? r.commitment?.title ?? r.changeOrder?.title ?? null,
    detail: status === 'FailedToExport' ? r.exportError : status === 'Rejected' ? r.lastRejectionReason : null,
  }));
}

export async function approverQueue(db: Db) {
  const [readyToExport, failedToExport] = await Promise.all([byStatus(db, 'ReadyToExport'), byStatus(db, 'FailedToExport')]);
  return { readyToExport, failedToExport };
}

export async function creatorQueue(db: Db, userId: string) {
  return { rejected: await byStatus(db, 'Rejected', userId) };
}
