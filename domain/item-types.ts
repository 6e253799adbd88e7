/**
 * The kinds of item that travel to the ERP. Everything type-specific that the rest of the product
 * needs (names, parent, locked fields, the tools a creator needs) is declared here, so a new type
 * (prime contract, subcontractor invoice …) is one more entry plus its store mapping.
 */
/** The Procore tools a permission is granted on. */
export const TOOLS = ['Admin', 'Commitments', 'ChangeOrders', 'ErpIntegrations'] as const;
export type Tool = (typeof TOOLS)[number];

export const ITEM_TYPES = ['project', 'commitment', 'cco'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface LockedField {
  /** The field's name in the intake API. */
  field: string;
  label: string;
}

export interface ItemTypeInfo {
  type: ItemType;
  /** "commitment change order" — for sentences. */
  label: string;
  /** The item the ERP needs first, if any. */
  parent: ItemType | null;
  /** Every field that feeds the ERP record: locked while the item is with accounting or in the ERP. */
  lockedFields: readonly LockedField[];
  /** Project tools on which a creator needs 'Admin' to send, re-send, retrieve or void. */
  creatorTools: readonly Tool[];
  /** Further project tools needed to *send* (not to re-send, retrieve or void). */
  sendTools: readonly Tool[];
  /** Whether a rejected item of this type may be voided instead of re-sent. */
  voidable: boolean;
}

const CREATED_AT: LockedField = { field: 'createdAt', label: 'Created Date' };

export const ITEM_TYPE_INFO: Record<ItemType, ItemTypeInfo> = {
  project: {
    type: 'project',
    label: 'project',
    parent: null,
    lockedFields: [{ field: 'name', label: 'Name' }, { field: 'number', label: 'Project Number' }, CREATED_AT],
    creatorTools: ['Admin'],
    sendTools: [],
    voidable: false,
  },
  commitment: {
    type: 'commitment',
    label: 'commitment',
    parent: 'project',
    lockedFields: [
      { field: 'project', label: 'Project' },
      { field: 'vendorId', label: 'Contract Company' },
      { field: 'kind', label: 'Commitment Type' },
      { field: 'number', label: 'Contract #' },
      { field: 'title', label: 'Title' },
      { field: 'description', label: 'Description' },
      { field: 'status', label: 'Status' },
      { field: 'totalAmount', label: 'Total Amount' },
      { field: 'sovLines', label: 'Schedule of Values lines' },
      CREATED_AT,
    ],
    creatorTools: ['Commitments'],
    sendTools: [],
    voidable: true,
  },
  cco: {
    type: 'cco',
    label: 'commitment change order',
    parent: 'commitment',
    // The contract company comes from the commitment, so the commitment itself is locked in.
    lockedFields: [
      { field: 'commitment', label: 'Contract Company (its commitment)' },
      { field: 'number', label: 'ID Number' },
      { field: 'erpNumber', label: 'ERP ID' },
      { field: 'title', label: 'Title' },
      { field: 'description', label: 'Description' },
      { field: 'status', label: 'Status' },
      { field: 'totalAmount', label: 'Total Amount' },
      { field: 'lines', label: 'Line items' },
      CREATED_AT,
    ],
    // Seed 000: re-sending a change order needs the Commitments tool only; seed 003: sending needs Change Orders too.
    creatorTools: ['Commitments'],
    sendTools: ['ChangeOrders'],
    voidable: true,
  },
};

/** "commitment change order CO-7": how sentences name an item. */
export function itemName(type: ItemType, ref: string): string {
  return `${ITEM_TYPE_INFO[type].label} ${ref}`;
}

export function isItemType(value: string): value is ItemType {
  return (ITEM_TYPES as readonly string[]).includes(value);
}

/** One workflow execution per submission round, all rounds of an item under one ID. */
export function approvalWorkflowId(type: ItemType, ref: string): string {
  return `erp:${type}:${ref}`;
}

/** Stable across activity retries and worker restarts, new for each submission round. */
export function exportIdempotencyKey(type: ItemType, ref: string, round: number): string {
  return `${approvalWorkflowId(type, ref)}#${round}`;
}
