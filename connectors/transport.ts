/**
 * How an export record travels to an ERP. Transports know nothing of the ERP's rules (see
 * `domain/erp-profiles`); they deliver a payload under an idempotency key and report what happened.
 */
import type { ItemType } from '../domain/item-types';

export interface ExportRequest {
  idempotencyKey: string;
  itemType: ItemType;
  itemRef: string;
  /** The reviewed snapshot's payload as canonical JSON: sent byte for byte, never rebuilt. */
  body: string;
}

export interface ExportReceipt {
  erpId: string;
  /** The ERP had already taken an export with this key (an earlier attempt's answer was lost). */
  duplicate: boolean;
}

/**
 * The longest an export call may still be under way after it started: no transport waits longer for
 * the ERP's answer (the HTTP connector gives up after 30 s). A round terminated meanwhile does not stop
 * its call, so nothing is released from Exporting before this has passed.
 */
export const EXPORT_CALL_MAX_MS = 60_000;

export interface ErpTransport {
  readonly name: string;
  export(request: ExportRequest): Promise<ExportReceipt>;
  /**
   * Whether the ERP booked an export under `idempotencyKey`: its ERP id, or null when it has none.
   * Throws ErpUnavailable when the ERP cannot say (never guess "not booked").
   */
  lookup(idempotencyKey: string): Promise<{ erpId: string } | null>;
}

/** The ERP said no for good (bad data, closed period …): retrying the same record will not help. */
export class ErpRefused extends Error {
  override readonly name = 'ErpRefused';
}

/** The ERP could not take the record now (network, 429, 5xx): try again later. */
export class ErpUnavailable extends Error {
  override readonly name = 'ErpUnavailable';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
