/**
 * The sandbox ERP's ledger, kept in the product's database (tables `SandboxExport`, `SandboxFault`) so
 * it survives restarts like a real ERP would: what it booked, under which key, and the faults injected.
 */
import type { Prisma, SandboxFault } from '../generated/prisma';
import type { ExportReceipt, ExportRequest } from '../connectors/transport';
import { writeTransaction, type Db } from './prisma';

/** The advisory lock that makes the simulator's bookings one at a time (any number unique to it). */
const SANDBOX_LEDGER_LOCK = 0x5b3e_0001;

/**
 * Books the export under the next number, as an ERP numbers its records: one booking at a time (a
 * transaction-scoped advisory lock), so two workers never take the same number; a key booked already
 * answers with its record and counts the call, under the same lock, so racing calls are all counted.
 */
export function bookExport(db: Db, request: ExportRequest): Promise<ExportReceipt> {
  return writeTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SANDBOX_LEDGER_LOCK})`;
    const booked = await tx.sandboxExport.findUnique({ where: { idempotencyKey: request.idempotencyKey }, select: { erpId: true } });
    if (booked) {
      await tx.sandboxExport.update({ where: { idempotencyKey: request.idempotencyKey }, data: { calls: { increment: 1 } } });
      return { erpId: booked.erpId, duplicate: true };
    }
    const erpId = `SBX-${String((await tx.sandboxExport.count()) + 1).padStart(5, '0')}`;
    await tx.sandboxExport.create({
      data: {
        idempotencyKey: request.idempotencyKey,
        erpId,
        itemType: request.itemType,
        itemRef: request.itemRef,
        payload: JSON.parse(request.body) as Prisma.InputJsonObject,
      },
    });
    return { erpId, duplicate: false };
  });
}

export async function bookedExport(db: Db, idempotencyKey: string): Promise<{ erpId: string } | null> {
  return db.sandboxExport.findUnique({ where: { idempotencyKey }, select: { erpId: true } });
}

export function sandboxExports(db: Db, itemRef: string) {
  return db.sandboxExport.findMany({ where: { itemRef }, orderBy: { createdAt: 'asc' } });
}

/** The fault injected for the item, or for every item ("*"). */
export async function faultFor(db: Db, itemRef: string): Promise<SandboxFault | undefined> {
  const faults = await db.sandboxFault.findMany({ where: { itemRef: { in: [itemRef, '*'] } } });
  return faults.find((f) => f.itemRef === itemRef) ?? faults.find((f) => f.itemRef === '*');
}

export async function setFault(
  db: Db,
  itemRef: string,
  fault: Pick<SandboxFault, 'transientFailures' | 'permanentMessage' | 'delayMs' | 'lostAnswers'>,
): Promise<void> {
  const data = { ...fault, failuresSoFar: 0, lostSoFar: 0 };
  await db.sandboxFault.upsert({ where: { itemRef }, create: { itemRef, ...data }, update: data });
}

export async function clearFault(db: Db, itemRef: string): Promise<void> {
  await db.sandboxFault.deleteMany({ where: { itemRef } });
}

export async function countFailure(db: Db, itemRef: string): Promise<void> {
  await db.sandboxFault.update({ where: { itemRef }, data: { failuresSoFar: { increment: 1 } } });
}

export async function countLostAnswer(db: Db, itemRef: string): Promise<void> {
  await db.sandboxFault.update({ where: { itemRef }, data: { lostSoFar: { increment: 1 } } });
}
