/**
 * What the ERP holds of an item. An export recorded booked is there; an export whose answer was lost
 * (outcome Unknown) may be. Before anything about the item is settled for good (a new export under a
 * new key, a void), both are consulted, the lost ones by asking the ERP.
 */
import type { Db } from '../store/prisma';
import { bookedExport, lostExports, markBooked, markNotBooked } from '../store/exports';
import type { ErpTransport } from './transport';

export interface HeldExport {
  idempotencyKey: string;
  round: number;
  snapshotHash: string | null;
  erpId: string;
  /** Its answer had been lost: the ERP, asked now, has it. */
  answerWasLost: boolean;
}

/**
 * The export of the item the ERP holds under a key other than `exceptKey`, or null: one recorded
 * booked, else the first (oldest) whose answer was lost and that the ERP has, recorded booked now.
 * Lost ones the ERP does not have are marked not booked, so they are not asked again. Throws the
 * transport's ErpUnavailable when the ERP cannot be asked.
 */
export async function heldInErp(db: Db, transport: ErpTransport, erpRecordId: number, exceptKey?: string): Promise<HeldExport | null> {
  const booked = await bookedExport(db, erpRecordId, exceptKey);
  if (booked?.erpId) return { ...booked, erpId: booked.erpId, answerWasLost: false };
  for (const attempt of await lostExports(db, erpRecordId, exceptKey)) {
    const found = await transport.lookup(attempt.idempotencyKey);
    if (found) {
      await markBooked(db, attempt.idempotencyKey, found.erpId);
      const { idempotencyKey, round, snapshotHash } = attempt;
      return { idempotencyKey, round, snapshotHash, erpId: found.erpId, answerWasLost: true };
    }
    await markNotBooked(db, attempt.idempotencyKey);
  }
  return null;
}
