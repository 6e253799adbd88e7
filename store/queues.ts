/**
 * What waits for a person: approvers see the Ready to Export items waiting for them and every Failed
 * to Export one; creators their rejected items. Each list is counted in full but read only as far as
 * it is shown, so building a queue costs the same with 10 or 10,000 items waiting.
 */
import { recordSummary, waitingForOneOf, WITH_TITLE } from './items';
import type { Db } from './prisma';
import { awayFor } from './delegations';
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

/** Whose queue a list is: the creator's rejected items, or what waits for an approver. */
interface Owner {
  creatorId?: string;
  /** An approver and the approvers they stand in for: the items waiting for any of them, or for any approver. */
  approverIds?: readonly string[];
  allowSelfApproval?: boolean;
}

async function byStatus(
  db: Db,
  status: ErpStatus,
  limit: number,
  { creatorId, approverIds, allowSelfApproval = false }: Owner = {},
): Promise<QueueList> {
  const where = {
    status,
    ...(approverIds ? waitingForOneOf(approverIds, allowSelfApproval) : {}),
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

/** The approvers whose queue is `approverId`'s: theirs, and that of everyone away who delegated to them. */
export async function standingFor(db: Db, approverId: string, now = new Date()): Promise<string[]> {
  return [approverId, ...(await awayFor(db, approverId, now)).map((away) => away.id)];
}

/**
 * The Ready to Export items waiting for an approver: those whose waiting step is theirs (or any
 * approver's, or that of an approver they stand in for), less those they sent themselves (unless
 * self-approval is allowed).
 */
export async function readyToExportFor(
  db: Db,
  approverId: string,
  limit: number,
  { allowSelfApproval = false, now = new Date() }: { allowSelfApproval?: boolean; now?: Date } = {},
): Promise<QueueList> {
  return byStatus(db, 'ReadyToExport', limit, { approverIds: await standingFor(db, approverId, now), allowSelfApproval });
}

/** Every Failed to Export item (any approver may retry or reject it). */
export function failedToExport(db: Db, limit: number): Promise<QueueList> {
  return byStatus(db, 'FailedToExport', limit);
}

/** What waits for an approver: their Ready to Export items and every Failed to Export item. */
export async function approverQueue(db: Db, approverId: string, limit: number, options: { allowSelfApproval?: boolean; now?: Date } = {}) {
  const [readyToExport, failed] = await Promise.all([readyToExportFor(db, approverId, limit, options), failedToExport(db, limit)]);
  return { readyToExport, failedToExport: failed };
}

/** Everything waiting for accounting, whoever it waits for: what an auditor reads. */
export async function companyQueue(db: Db, limit: number) {
  const [readyToExport, failed] = await Promise.all([byStatus(db, 'ReadyToExport', limit), failedToExport(db, limit)]);
  return { readyToExport, failedToExport: failed };
}

export async function creatorQueue(db: Db, userId: string, limit: number) {
  return { rejected: await byStatus(db, 'Rejected', limit, { creatorId: userId }) };
}
