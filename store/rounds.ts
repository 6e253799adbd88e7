/**
 * The writes that move an item: its ERP record's status and the change history entry that says why,
 * together, once per event. Callers hold the item's row lock (`lockItem`, `lockRecord`, `lockRecordFor`).
 */
import { Prisma, type ErpRecord, type HistoryEntry } from '@prisma/client';
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
export interface RecordFields {
  round?: number;
  erpId?: string | null;
  exportError?: string | null;
  lastRejectionReason?: string | null;
}

/** The entry an earlier run of this event wrote, if any. */
export function recordedEntry(tx: Tx, eventKey: string): Promise<HistoryEntry | null> {
  return tx.historyEntry.findUnique({ where: { eventKey } });
}

/**
 * The moment of the statement as the columns hold it: UTC without a zone, whatever the session's time
 * zone. Not `now()`, the transaction's start: a move that waited for the row lock happened after the
 * move it waited for, and the history (ordered by time) must say so.
 */
const NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;

/** Moves the locked record to `to` and writes the history entry of the move: one statement. */
export async function moveRecord(tx: Tx, erp: ErpRecord, to: ErpStatus, note: HistoryNote, fields: RecordFields = {}): Promise<void> {
  const sets = [Prisma.sql`status = ${to}::"ErpStatus"`, Prisma.sql`"updatedAt" = ${NOW}`];
  if (fields.round !== undefined) sets.push(Prisma.sql`round = ${fields.round}`);
  if (fields.erpId !== undefined) sets.push(Prisma.sql`"erpId" = ${fields.erpId}`);
  if (fields.exportError !== undefined) sets.push(Prisma.sql`"exportError" = ${fields.exportError}`);
  if (fields.lastRejectionReason !== undefined) sets.push(Prisma.sql`"lastRejectionReason" = ${fields.lastRejectionReason}`);
  await tx.$executeRaw(Prisma.sql`WITH moved AS (UPDATE "ErpRecord" SET ${Prisma.join(sets)} WHERE id = ${erp.id} RETURNING id)
    INSERT INTO "HistoryEntry" ("erpRecordId", at, "actorId", action, "fromStatus", "toStatus", reason, message, "snapshotHash", "selfApproved", "eventKey")
    SELECT id, ${NOW}, ${note.actorId ?? null}, ${note.action}, ${erp.status}::"ErpStatus", ${to}::"ErpStatus", ${note.reason ?? null},
      ${note.message ?? null}, ${note.snapshotHash ?? null}, ${note.selfApproved ?? false}, ${note.eventKey} FROM moved`);
}

/** The commitment a change order belongs to (locked before the change order, as intake locks them). */
export async function commitmentOf(tx: Tx, ccoRef: string): Promise<string | null> {
  const row = await tx.changeOrder.findUnique({ where: { ref: ccoRef }, select: { commitmentRef: true } });
  return row?.commitmentRef ?? null;
}
