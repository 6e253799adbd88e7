/** An item as people and API clients see it: data, ERP status, what is locked, what can be done, history. */
import type { Db } from '../store/prisma';
import { loadItem, type LoadedItem } from '../store/items';
import { ITEM_TYPE_INFO, approvalWorkflowId, type ItemType } from '../domain/item-types';
import { formatCents, totalCents } from '../domain/items';
import { actionsAvailable, isLocked, statusLabel, type ErpStatus } from '../domain/statuses';

/** `loaded` spares a second read where the caller has just loaded the item. */
export async function itemView(db: Db, type: ItemType, ref: string, loaded?: LoadedItem) {
  const { item, erp } = loaded ?? (await loadItem(db, type, ref));
  const history = await db.historyEntry.findMany({
    where: { erpRecordId: erp.id },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    include: { actor: { select: { id: true, name: true } } },
  });
  const status = erp.status as ErpStatus;
  const total = totalCents(item);
  return {
    type,
    ref,
    projectRef: erp.projectRef,
    title: item.title,
    totalAmount: total === null ? null : formatCents(total),
    erp: {
      status,
      statusLabel: statusLabel(status),
      erpId: erp.erpId,
      round: erp.round,
      workflowId: approvalWorkflowId(type, ref),
      exportError: erp.exportError,
      lastRejectionReason: erp.lastRejectionReason,
      locked: isLocked(status),
      lockedFields: isLocked(status) ? ITEM_TYPE_INFO[type].lockedFields.map((f) => f.field) : [],
      availableActions: actionsAvailable(status),
    },
    item,
    history: history.map((entry) => ({
      at: entry.at.toISOString(),
      by: entry.actor,
      action: entry.action,
      from: entry.fromStatus,
      to: entry.toStatus,
      reason: entry.reason,
      message: entry.message,
    })),
  };
}

export type ItemView = Awaited<ReturnType<typeof itemView>>;
