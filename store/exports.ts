/**
 * What was sent to the ERP, under which idempotency key, and what came of it: an attempt is written
 * (outcome Unknown) before the ERP is called, and its outcome once the ERP answers. An Unknown one is
 * an export whose answer was lost: the ERP may hold it.
 */
import type { ExportAttempt } from '../generated/prisma';
import type { ItemType } from '../domain/item-types';
import type { Db, Tx } from './prisma';

/** The record an export reads: its status and round, and that round's reviewed payload. */
export function exportSource(db: Db, type: ItemType, ref: string, round: number) {
  return db.erpRecord.findUniqueOrThrow({
    where: { itemType_itemRef: { itemType: type, itemRef: ref } },
    select: { id: true, status: true, round: true, snapshots: { where: { round }, select: { payload: true, hash: true } } },
  });
}

/**
 * Notes an export call about to be made: the attempt once per key (a retry of the same key keeps its
 * round and snapshot), its `updatedAt` when the latest call under the key started.
 */
export async function recordAttempt(
  db: Db,
  attempt: { idempotencyKey: string; erpRecordId: number; round: number; snapshotHash: string },
): Promise<void> {
  await db.exportAttempt.upsert({ where: { idempotencyKey: attempt.idempotencyKey }, create: attempt, update: { round: attempt.round } });
}

/** When the latest export call under `idempotencyKey` started, if one was made. */
export async function lastExportCall(db: Db | Tx, idempotencyKey: string): Promise<Date | null> {
  const attempt = await db.exportAttempt.findUnique({ where: { idempotencyKey }, select: { updatedAt: true } });
  return attempt?.updatedAt ?? null;
}

export async function markBooked(db: Db, idempotencyKey: string, erpId: string): Promise<void> {
  await db.exportAttempt.update({ where: { idempotencyKey }, data: { outcome: 'Booked', erpId } });
}

export async function markRefused(db: Db, idempotencyKey: string): Promise<void> {
  await db.exportAttempt.updateMany({ where: { idempotencyKey }, data: { outcome: 'Refused' } });
}

export async function markNotBooked(db: Db, idempotencyKey: string): Promise<void> {
  await db.exportAttempt.update({ where: { idempotencyKey }, data: { outcome: 'NotBooked' } });
}

/** The item's exports whose answer was lost, oldest first (but `exceptKey`). */
export function lostExports(db: Db, erpRecordId: number, exceptKey?: string): Promise<ExportAttempt[]> {
  return db.exportAttempt.findMany({
    where: { erpRecordId, outcome: 'Unknown', ...(exceptKey ? { idempotencyKey: { not: exceptKey } } : {}) },
    orderBy: { round: 'asc' },
  });
}

/** An export the ERP booked: the key, round and snapshot it was booked under, and the ERP's id. */
export type BookedExport = Pick<ExportAttempt, 'idempotencyKey' | 'round' | 'snapshotHash' | 'erpId'>;

/** What the ERP holds of the item (under a key other than `exceptKey`). */
export function bookedExport(db: Db, erpRecordId: number, exceptKey?: string): Promise<BookedExport | null> {
  return db.exportAttempt.findFirst({
    where: { erpRecordId, outcome: 'Booked', ...(exceptKey ? { idempotencyKey: { not: exceptKey } } : {}) },
    select: { idempotencyKey: true, round: true, snapshotHash: true, erpId: true },
  });
}
