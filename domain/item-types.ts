/**
 * The kinds of item that travel to the ERP. Everything type-specific that the rest of the product
 * needs (names, parent, locked fields, the tools a creator needs) is declared here, so a new type
 * (prime contract, subcontractor invoice …) is one more entry plus its store mapping.
 */
import type { Tool } from './permissions';

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
  lockedFields: readonly LockedField[];
  /** Project tools on which a creator needs 'Admin' to send, re-send or retrieve. */
  creatorTools: readonly Tool[];
}

const CONTRACT_LOCKS: readonly LockedField[] = [
  { field: 'vendorId', label: 'Contract Company' },
  { field: 'title', label: 'Title' },
  { field: 'status', label: 'Status' },
  { field: 'totalAmount', label: 'Total Amount' },
];

export const ITEM_TYPE_INFO: Record<ItemType, ItemTypeInfo> = {
  project: {
    type: 'project',
    label: 'project',
    parent: null,
    lockedFields: [
      { field: 'name', label: 'Name' },
      { field: 'number', label: 'Project Number' },
    ],
    creatorTools: ['Admin'],
  },
  commitment: {
    type: 'commitment',
    label: 'commitment',
    parent: 'project',
    lockedFields: CONTRACT_LOCKS,
    creatorTools: ['Commitments'],
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
      ...CONTRACT_LOCKS.filter((f) => f.field !== 'vendorId'),
    ],
    creatorTools: ['Commitments', 'ChangeOrders'],
  },
};

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
