/**
 * The built-in ERP simulator, for the demo and the tests. Its ledger lives in the product's database
 * (tables `SandboxExport`, `SandboxFault`) so it survives worker restarts like a real ERP would, and
 * faults can be injected per item: transient failures N times, a permanent refusal, a slow answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Prisma } from '@prisma/client';
import { writeTransaction, type Db } from '../store/prisma';
import { ErpRefused, ErpUnavailable, type ErpTransport, type ExportReceipt, type ExportRequest } from './transport';

/** The advisory lock that makes the simulator's bookings one at a time (any number unique to it). */
const SANDBOX_LEDGER_LOCK = 0x5b3e_0001;

export interface SandboxFaultSpec {
  /** The item ref the fault applies to, or "*" for every item. */
  itemRef: string;
  transientFailures?: number;
  permanentMessage?: string | null;
  /** Delay before answering, after the export is booked: the answer is slow, the export already done. */
  delayMs?: number;
  /** Book the export, then lose the answer this many times, even for a retry under the same key. */
  lostAnswers?: number;
}

export class SandboxErp implements ErpTransport {
  readonly name = 'sandbox';

  constructor(private readonly db: Db) {}

  async export(request: ExportRequest): Promise<ExportReceipt> {
    const faults = await this.db.sandboxFault.findMany({ where: { itemRef: { in: [request.itemRef, '*'] } } });
    const fault = faults.find((f) => f.itemRef === request.itemRef) ?? faults.find((f) => f.itemRef === '*');

    const existing = await this.db.sandboxExport.findUnique({ where: { idempotencyKey: request.idempotencyKey }, select: { erpId: true } });
    if (!existing && fault && fault.failuresSoFar < fault.transientFailures) {
      await this.db.sandboxFault.update({ where: { itemRef: fault.itemRef }, data: { failuresSoFar: { increment: 1 } } });
      throw new ErpUnavailable(
        `Sandbox ERP is temporarily unavailable (simulated outage ${fault.failuresSoFar + 1} of ${fault.transientFailures}).`,
      );
    }
    if (!existing && fault?.permanentMessage) throw new ErpRefused(fault.permanentMessage);

    const receipt = await this.book(request);
    if (!receipt.duplicate && fault?.delayMs) await sleep(fault.delayMs);
    await this.maybeLoseAnswer(fault);
    return receipt;
  }

  async lookup(idempotencyKey: string): Promise<{ erpId: string } | null> {
    const booked = await this.db.sandboxExport.findUnique({ where: { idempotencyKey }, select: { erpId: true } });
    return booked ? { erpId: booked.erpId } : null;
  }

  /** The export is booked; its answer never reaches the caller (a dropped connection, say). */
  private async maybeLoseAnswer(fault: { itemRef: string; lostAnswers: number; lostSoFar: number } | undefined): Promise<void> {
    if (!fault || fault.lostSoFar >= fault.lostAnswers) return;
    await this.db.sandboxFault.update({ where: { itemRef: fault.itemRef }, data: { lostSoFar: { increment: 1 } } });
    throw new ErpUnavailable(
      `Sandbox ERP booked the export but its answer was lost (simulated ${fault.lostSoFar + 1} of ${fault.lostAnswers}).`,
    );
  }

  /**
   * Books the export under the next number, as an ERP numbers its records: one booking at a time (a
   * transaction-scoped advisory lock), so two workers never take the same number; a key booked already
   * answers with its record and counts the call, under the same lock, so racing calls are all counted.
   */
  private book(request: ExportRequest): Promise<ExportReceipt> {
    return writeTransaction(this.db, async (tx) => {
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

  async injectFault(spec: SandboxFaultSpec): Promise<void> {
    const data = {
      transientFailures: spec.transientFailures ?? 0,
      permanentMessage: spec.permanentMessage ?? null,
      delayMs: spec.delayMs ?? 0,
      failuresSoFar: 0,
      lostAnswers: spec.lostAnswers ?? 0,
      lostSoFar: 0,
    };
    await this.db.sandboxFault.upsert({ where: { itemRef: spec.itemRef }, create: { itemRef: spec.itemRef, ...data }, update: data });
  }

  async clearFault(itemRef: string): Promise<void> {
    await this.db.sandboxFault.deleteMany({ where: { itemRef } });
  }

  /** The ERP's side of the story: what it booked for an item, and how many calls each export took. */
  async exportsFor(itemRef: string) {
    return this.db.sandboxExport.findMany({ where: { itemRef }, orderBy: { createdAt: 'asc' } });
  }
}
