/**
 * What an item view shows beside the item itself, read in one statement: the change history with who
 * made each move, the latest reviewed snapshot, and the export the ERP holds.
 */
import type { ErpStatus } from '../domain/statuses';
import type { ExportPayload } from '../domain/erp-profiles';
import type { Person } from '../domain/items';
import type { ReviewedView } from './snapshots';
import type { Db, Tx } from './prisma';
import { isoSql } from './sql';

export interface HistoryRow {
  at: Date;
  actor: Person | null;
  action: string;
  fromStatus: ErpStatus | null;
  toStatus: ErpStatus | null;
  reason: string | null;
  message: string | null;
  snapshotHash: string | null;
  selfApproved: boolean;
}

export interface BookedExport {
  idempotencyKey: string;
  round: number;
  snapshotHash: string | null;
  erpId: string | null;
}

export interface ItemRecords {
  history: HistoryRow[];
  reviewed: ReviewedView | null;
  booked: BookedExport | null;
}

const iso = isoSql;

const RECORDS_SQL = `SELECT
  (SELECT coalesce(json_agg(json_build_object('at', ${iso('h.at')},
      'actor', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END,
      'action', h.action, 'fromStatus', h."fromStatus", 'toStatus', h."toStatus", 'reason', h.reason, 'message', h.message,
      'snapshotHash', h."snapshotHash", 'selfApproved', h."selfApproved") ORDER BY h.at, h.id), '[]')
    FROM "HistoryEntry" h LEFT JOIN "User" u ON u.id = h."actorId" WHERE h."erpRecordId" = $1) AS history,
  (SELECT json_build_object('hash', s.hash, 'payload', s.payload, 'at', ${iso('s.at')},
      'by', json_build_object('id', u.id, 'name', u.name), 'round', s.round, 'review', s.review, 'changes', s.changes)
    FROM "ReviewedSnapshot" s JOIN "User" u ON u.id = s."sentById" WHERE s."erpRecordId" = $1 ORDER BY s.round DESC LIMIT 1) AS reviewed,
  (SELECT json_build_object('idempotencyKey', a."idempotencyKey", 'round', a.round, 'snapshotHash', a."snapshotHash", 'erpId', a."erpId")
    FROM "ExportAttempt" a WHERE a."erpRecordId" = $1 AND a.outcome = 'Booked' ORDER BY a.round DESC LIMIT 1) AS booked`;

interface Row {
  history: (Omit<HistoryRow, 'at'> & { at: string })[];
  reviewed: (Omit<ReviewedView, 'payload'> & { payload: string }) | null;
  booked: BookedExport | null;
}

export async function itemRecords(db: Db | Tx, erpRecordId: number): Promise<ItemRecords> {
  const [row] = await db.$queryRawUnsafe<Row[]>(RECORDS_SQL, erpRecordId);
  const { history, reviewed, booked } = row!;
  return {
    history: history.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    reviewed: reviewed && {
      ...reviewed,
      payload: JSON.parse(reviewed.payload) as ExportPayload,
      changes: reviewed.changes ?? null,
    },
    booked,
  };
}
