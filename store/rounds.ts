/**
 * The writes that move an item: its ERP record's status and the change history entry that says why,
 * together, once per event. `moveRecord`'s callers hold the item's row lock (`lockItem`, `lockRecord`,
 * `lockRecordFor`); `applyMove` takes it itself.
 */
import { Prisma, type ErpRecord, type HistoryEntry } from '../generated/prisma';
import type { ItemType } from '../domain/item-types';
import { moveOf, type ErpStatus, type Transition } from '../domain/statuses';
import type { Db, Tx } from './prisma';

/** What the history says of a move besides its from and to. */
export interface HistoryNote {
  /** The person who made it; none for the ERP's answers and operators' repairs. */
  actorId?: string | null;
  /** The approver a delegate decided for. */
  onBehalfOfId?: string | null;
  action: Transition;
  reason?: string | null;
  message?: string | null;
  snapshotHash?: string | null;
  selfApproved?: boolean;
  /** The step of the round's route a decision was made at. */
  step?: number | null;
  /** Makes a retried write land once. */
  eventKey: string;
}

/** The record's fields a move may set besides its status. */
export interface RecordFields {
  round?: number;
  erpId?: string | null;
  exportError?: string | null;
  lastRejectionReason?: string | null;
  /** Whom the round now waits for (user ids); empty: any accounting approver. */
  waitingFor?: string[];
  /** Who sent the round (set when it opens). */
  sentById?: string;
}

/** The entry an earlier run of this event wrote, if any. */
export function recordedEntry(tx: Db | Tx, eventKey: string): Promise<HistoryEntry | null> {
  return tx.historyEntry.findUnique({ where: { eventKey } });
}

/**
 * The moment of the statement as the columns hold it: UTC without a zone, whatever the session's time
 * zone. Not `now()`, the transaction's start: a move that waited for the row lock happened after the
 * move it waited for, and the history (ordered by time) must say so.
 */
const NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;

/** The SET list of a move: the status, the time, and the fields given. */
function moveSets(to: ErpStatus, fields: RecordFields): Prisma.Sql {
  const sets = [Prisma.sql`status = ${to}::"ErpStatus"`, Prisma.sql`"updatedAt" = ${NOW}`];
  if (fields.round !== undefined) sets.push(Prisma.sql`round = ${fields.round}`);
  if (fields.erpId !== undefined) sets.push(Prisma.sql`"erpId" = ${fields.erpId}`);
  if (fields.exportError !== undefined) sets.push(Prisma.sql`"exportError" = ${fields.exportError}`);
  if (fields.lastRejectionReason !== undefined) sets.push(Prisma.sql`"lastRejectionReason" = ${fields.lastRejectionReason}`);
  if (fields.waitingFor !== undefined) sets.push(Prisma.sql`"waitingFor" = ${fields.waitingFor}::text[]`);
  if (fields.sentById !== undefined) sets.push(Prisma.sql`"sentById" = ${fields.sentById}`);
  return Prisma.join(sets);
}

/**
 * `INSERT … SELECT` of a move's history entry for each row of `moved` (its `id`, `from` and `round`
 * columns: the round is the record's after the move, so a send's entry carries the round it opened).
 */
function historyInsert(moved: Prisma.Sql, to: ErpStatus, note: HistoryNote): Prisma.Sql {
  return Prisma.sql`INSERT INTO "HistoryEntry" ("erpRecordId", at, "actorId", "onBehalfOfId", action, "fromStatus", "toStatus", reason, message, "snapshotHash", "selfApproved", step, round, "eventKey")
    SELECT id, ${NOW}, ${note.actorId ?? null}, ${note.onBehalfOfId ?? null}, ${note.action}, "from", ${to}::"ErpStatus", ${note.reason ?? null},
      ${note.message ?? null}, ${note.snapshotHash ?? null}, ${note.selfApproved ?? false}, ${note.step ?? null}::int, NULLIF(round, 0), ${note.eventKey} FROM ${moved}`;
}

/** Moves the locked record to `to` and writes the history entry of the move: one statement. */
export async function moveRecord(tx: Tx, erp: ErpRecord, to: ErpStatus, note: HistoryNote, fields: RecordFields = {}): Promise<void> {
  await tx.$executeRaw(Prisma.sql`WITH moved AS (UPDATE "ErpRecord" SET ${moveSets(to, fields)} WHERE id = ${erp.id}
      RETURNING id, round, ${erp.status}::"ErpStatus" AS "from")
    ${historyInsert(Prisma.sql`moved`, to, note)}`);
}

export interface AppliedMove {
  /** The record moved and the history entry was written. */
  moved: boolean;
  /** The status the record had under its lock; null when there is no such item. */
  status: ErpStatus | null;
}

/**
 * A move that needs nothing read first, as one statement outside any transaction: it takes the row
 * lock, and where the status allows `note.action` and the event is not recorded yet, moves the record
 * and writes the history entry. When it did not move, the event may have been recorded by a run this
 * one waited for (a statement does not see what committed while it waited for a lock): ask
 * `recordedEntry` before calling it a conflict.
 */
export async function applyMove(db: Db, type: ItemType, ref: string, note: HistoryNote, fields: RecordFields = {}): Promise<AppliedMove> {
  const { from, to } = moveOf(note.action);
  const [row] = await db.$queryRaw<{ status: ErpStatus; moved: boolean }[]>(Prisma.sql`WITH target AS (
      SELECT id, status FROM "ErpRecord" WHERE "itemType" = ${type}::"ItemType" AND "itemRef" = ${ref} FOR UPDATE),
    moved AS (UPDATE "ErpRecord" r SET ${moveSets(to, fields)} FROM target
      WHERE r.id = target.id AND target.status::text IN (${Prisma.join(from)})
        AND NOT EXISTS (SELECT 1 FROM "HistoryEntry" h WHERE h."eventKey" = ${note.eventKey})
      RETURNING r.id, r.round, target.status AS "from"),
    entry AS (${historyInsert(Prisma.sql`moved`, to, note)} RETURNING id)
    SELECT target.status, EXISTS (SELECT 1 FROM entry) AS moved FROM target`);
  return row ? { moved: row.moved, status: row.status } : { moved: false, status: null };
}
