import type { Violation } from '../errors';
import type { Item } from '../items';
import type { ItemType } from '../item-types';
import type { ItemAction } from '../statuses';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ExportPayload = { [key: string]: JsonValue };

/** Company-wide settings that change what an ERP profile checks or exports. */
export interface ErpSettings {
  /** Fill a change order's ERP id from its number when the project manager left it empty. */
  erpIdFromChangeOrderNumber: boolean;
  /** The company's time zone (IANA name): dates exported to the ERP are calendar days there. Default UTC. */
  timeZone?: string;
}

/** The company's time zone the settings name, UTC where they name none. */
export function companyZone(settings: ErpSettings): string {
  return settings.timeZone ?? 'UTC';
}

/**
 * What one ERP demands: which items and actions it supports, the minimum requirements an item must
 * meet before it is sent, and the shape of the record the ERP receives. How the record travels is
 * the transport's business (see `connectors/`).
 */
export interface ErpProfile {
  id: string;
  name: string;
  supports: Partial<Record<ItemType, readonly ItemAction[]>>;
  /** Every failing field, each with a reason a project manager understands. */
  check(item: Item, settings: ErpSettings): Violation[];
  toPayload(item: Item, settings: ErpSettings): ExportPayload;
}
