/**
 * The writes that move an item: its ERP record's status and the change history entry that says why,
 * together, once per event. Callers hold the item's row lock (`lockItem`/`lockRecord`).
 */
import type { ErpRecord, HistoryEntry, Prisma } from '@prisma/client';
import type { ErpStatus, Transition } from '../domain/statuses';
import type { Tx } from './prisma';

/** What the history says of a move besides its from and to. */
export interface HistoryNote {
  /** The person who made it; none for the ERP's answers and operators' repairs. */
  actorId?: string | null;
  action: Transition;
  reason?: string | null;
  message?: string | null;
  snapshotHash?: string | null;
  selfApproved?: boolean;
  /** Makes a retried write land once. */
  eventKey: string;
}

/** The record's fields a move may set besides its status. */
export type RecordFields = Pick<Prisma.ErpRecordUncheckedUpdateInput, 'round' | 'erpId' | 'exportError' | 'lastRejectionReason'>;

/** The entry an earlier run of this event wrote, if any. */
export function recordedEntry(tx: Tx, eventKey: string): Promise<HistoryEntry | null> {
  return tx.historyEntry.findUnique({ where: { eventKey } });
}

/** Moves the locked record to `to` and writes the history entry of the move. */
export async function moveRecord(tx: Tx, erp: ErpRecord, to: ErpStatus, note: HistoryNote, fields: RecordFields = {}): Promise<void> {
  await tx.erpRecord.update({ where: { id: erp.id }, data: { status: to, ...fields } });
  await tx.historyEntry.create({ data: { erpRecordId: erp.id, fromStatus: erp.status, toStatus: to, ...note } });
}

/** The commitment a change order belongs to (locked before the change order, as intake locks them). */
export async function commitmentOf(tx: Tx, ccoRef: string): Promise<string | null> {
  const row = await tx.changeOrder.findUnique({ where: { ref: ccoRef }, select: { commitmentRef: true } });
  return row?.commitmentRef ?? null;
}
