/**
 * The built-in ERP simulator, for the demo and the tests. Its ledger lives in the product's database
 * (tables `SandboxExport`, `SandboxFault`) so it survives worker restarts like a real ERP would, and
 * faults can be injected per item: transient failures N times, a permanent refusal, a slow answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../store/prisma';
import {
  bookExport,
  bookedExport,
  clearFault,
  countFailure,
  countLostAnswer,
  faultFor,
  sandboxExports,
  setFault,
} from '../store/sandbox-ledger';
import { ErpRefused, ErpUnavailable, type ErpTransport, type ExportReceipt, type ExportRequest } from './transport';

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
    const fault = await faultFor(this.db, request.itemRef);
    const existing = fault ? await bookedExport(this.db, request.idempotencyKey) : null;
    if (!existing && fault && fault.failuresSoFar < fault.transientFailures) {
      await countFailure(this.db, fault.itemRef);
      throw new ErpUnavailable(
        `Sandbox ERP is temporarily unavailable (simulated outage ${fault.failuresSoFar + 1} of ${fault.transientFailures}).`,
      );
    }
    if (!existing && fault?.permanentMessage) throw new ErpRefused(fault.permanentMessage);

    const receipt = await bookExport(this.db, request);
    if (!receipt.duplicate && fault?.delayMs) await sleep(fault.delayMs);
    await this.maybeLoseAnswer(fault);
    return receipt;
  }

  async lookup(idempotencyKey: string): Promise<{ erpId: string } | null> {
    return bookedExport(this.db, idempotencyKey);
  }

  /** The export is booked; its answer never reaches the caller (a dropped connection, say). */
  private async maybeLoseAnswer(fault: { itemRef: string; lostAnswers: number; lostSoFar: number } | undefined): Promise<void> {
    if (!fault || fault.lostSoFar >= fault.lostAnswers) return;
    await countLostAnswer(this.db, fault.itemRef);
    throw new ErpUnavailable(
      `Sandbox ERP booked the export but its answer was lost (simulated ${fault.lostSoFar + 1} of ${fault.lostAnswers}).`,
    );
  }

  async injectFault(spec: SandboxFaultSpec): Promise<void> {
    await setFault(this.db, spec.itemRef, {
      transientFailures: spec.transientFailures ?? 0,
      permanentMessage: spec.permanentMessage ?? null,
      delayMs: spec.delayMs ?? 0,
      lostAnswers: spec.lostAnswers ?? 0,
    });
  }

  async clearFault(itemRef: string): Promise<void> {
    await clearFault(this.db, itemRef);
  }

  /** The ERP's side of the story: what it booked for an item, and how many calls each export took. */
  async exportsFor(itemRef: string) {
    return sandboxExports(this.db, itemRef);
  }
}
