/**
 * Exports whose answer was lost (outcome Unknown): the ERP may hold them. Before anything about the
 * item is settled for good (a new export, a void), each such key is looked up in the ERP.
 */
import type { ExportAttempt } from '@prisma/client';
import type { Db } from '../store/prisma';
import { lostExports, markNotBooked } from '../store/exports';
import type { ErpTransport } from './transport';

/**
 * Looks up, oldest first, every export key of the item whose outcome is unknown (but `exceptKey`).
 * Those the ERP does not have are marked not booked, so they are not asked again; the first it has is
 * answered with its ERP id, left for the caller to record.
 */
export async function firstBookedLostExport(
  db: Db,
  transport: ErpTransport,
  erpRecordId: number,
  exceptKey?: string,
): Promise<{ attempt: ExportAttempt; erpId: string } | null> {
  for (const attempt of await lostExports(db, erpRecordId, exceptKey)) {
    const booked = await transport.lookup(attempt.idempotencyKey);
    if (booked) return { attempt, erpId: booked.erpId };
    await markNotBooked(db, attempt.idempotencyKey);
  }
  return null;
}
