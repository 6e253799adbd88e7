/**
 * What an item view shows beside the item itself, read in one statement: the change history with who
 * made each move, the latest reviewed snapshot, and the export the ERP holds.
 */
import type { StoredEntry } from '../domain/history';
import type { ExportPayload } from '../domain/erp-profiles';
import type { ReviewedView } from './snapshots';
import type { BookedExport } from './exports';
import type { Db, Tx } from './prisma';
import { isoSql } from './sql';

/** A history entry as stored: what `historyEntryView` shows. */
export type HistoryRow = StoredEntry;

export interface ItemRecords {
  history: HistoryRow[];
  reviewed: ReviewedView | null;
  booked: BookedExport | null;
}

/** The columns `history`, `reviewed` and `booked` of the item whose ERP record id is `recordId` (an SQL expression). */
export const recordsColumns = (recordId: string) => `
  (SELECT coalesce(json_agg(json_build_object('at', ${isoSql('h.at')},
      'actor', CASE WHEN hu.id IS NULL THEN NULL ELSE json_build_object('id', hu.id, 'name', hu.name) END,
      'onBehalfOf', CASE WHEN ob.id IS NULL THEN NULL ELSE json_build_object('id', ob.id, 'name', ob.name) END,
      'action', h.action, 'fromStatus', h."fromStatus", 'toStatus', h."toStatus", 'reason', h.reason, 'message', h.message,
      'snapshotHash', h."snapshotHash", 'selfApproved', h."selfApproved", 'step', h.step, 'round', h.round) ORDER BY h.at, h.id), '[]')
    FROM "HistoryEntry" h LEFT JOIN "User" hu ON hu.id = h."actorId" LEFT JOIN "User" ob ON ob.id = h."onBehalfOfId" WHERE h."erpRecordId" = ${recordId}) AS history,
  (SELECT json_build_object('hash', s.hash, 'payload', s.payload, 'at', ${isoSql('s.at')},
      'by', json_build_object('id', su.id, 'name', su.name), 'round', s.round, 'review', s.review, 'changes', s.changes, 'route', s.route)
    FROM "ReviewedSnapshot" s JOIN "User" su ON su.id = s."sentById" WHERE s."erpRecordId" = ${recordId}
    ORDER BY s.round DESC LIMIT 1) AS reviewed,
  (SELECT json_build_object('idempotencyKey', a."idempotencyKey", 'round', a.round, 'snapshotHash', a."snapshotHash", 'erpId', a."erpId")
    FROM "ExportAttempt" a WHERE a."erpRecordId" = ${recordId} AND a.outcome = 'Booked' ORDER BY a.round DESC LIMIT 1) AS booked`;

export interface RecordsRow {
  history: (Omit<HistoryRow, 'at'> & { at: string })[];
  reviewed: (Omit<ReviewedView, 'payload'> & { payload: string }) | null;
  booked: BookedExport | null;
}

/** The records of the item whose ERP record this is. */
export async function itemRecords(db: Db | Tx, erpRecordId: number): Promise<ItemRecords> {
  const [row] = await db.$queryRawUnsafe<RecordsRow[]>(`SELECT ${recordsColumns('$1')}`, erpRecordId);
  return parseRecords(row!);
}

/** The records as the columns of `recordsColumns` hold them. */
export function parseRecords({ history, reviewed, booked }: RecordsRow): ItemRecords {
  return {
    history: history.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    reviewed: reviewed && {
      ...reviewed,
      payload: JSON.parse(reviewed.payload) as ExportPayload,
      changes: reviewed.changes ?? null,
      route: reviewed.route ?? null,
    },
    booked,
  };
}
