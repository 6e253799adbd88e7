/**
 * An item as people and API clients see it: data, ERP status, what is locked, the reviewed snapshot,
 * what can be done now (and why not the rest), history.
 */
import type { Db } from '../store/prisma';
import { historyEntryView } from '../domain/history';
import { loadItem, type LoadedItem } from '../store/items';
import { recordedDecisions } from '../store/history';
import { itemRecords } from '../store/item-records';
import type { ErpProfile, ErpSettings } from '../domain/erp-profiles';
import { ITEM_TYPE_INFO, approvalWorkflowId, type ItemType } from '../domain/item-types';
import { formatCents, totalCents, type Person } from '../domain/items';
import type { Actor } from '../domain/permissions';
import { isLocked, statusLabel } from '../domain/statuses';
import { availability, roundSender } from '../domain/actions';
import { roundSteps } from '../domain/routing';

/** The company's rules an item is judged by. */
export interface ItemRules {
  profile: ErpProfile;
  settings: ErpSettings;
  allowSelfApproval: boolean;
}

export interface ItemViewOptions {
  /** Spares a second read where the caller has just loaded the item. */
  loaded?: LoadedItem;
  /** One person's view: actions also checked against their permissions (`?as=userId`). */
  actor?: Actor;
}

export async function itemView(db: Db, type: ItemType, ref: string, rules: ItemRules, options: ItemViewOptions = {}) {
  const { item, erp, records } = options.loaded ?? (await loadItem(db, type, ref, { withRecords: true }));
  const { history, reviewed, booked } = records ?? (await itemRecords(db, erp.id));
  const status = erp.status;
  const total = totalCents(item);
  const sentBy: Person | null = roundSender(recordedDecisions(history));
  const actions = availability({ item, status, ...rules, actor: options.actor, sentBy });
  return {
    type,
    ref,
    projectRef: erp.projectRef,
    title: item.title,
    totalAmount: total === null ? null : formatCents(total),
    url: item.url,
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
      /** Who sent the current (or last) round. */
      sentBy,
      reviewed: reviewed && { hash: reviewed.hash, payload: reviewed.payload, at: reviewed.at, by: reviewed.by, round: reviewed.round },
      /**
       * What the ERP holds: the key, round and snapshot it was booked under. Usually the latest round's;
       * an earlier round's when its lost answer was found booked before a new export.
       */
      exported: booked,
      availableActions: actions.availableActions,
      unavailable: actions.unavailable,
      ...(options.actor ? { as: { id: options.actor.id, name: options.actor.name } } : {}),
    },
    /**
     * The latest round's approval steps (its frozen route): who decided at each, whose turn it is.
     * One step, any accounting approver, where no policy applied.
     */
    steps: roundSteps(reviewed?.route ?? null, history, status),
    /** The policy the latest round's route came from; null where none applied. */
    approvalPolicy: reviewed?.route?.policy ?? null,
    /** What the approvers reviewed (and, for a re-send, what changed since the rejected snapshot). */
    review: reviewed && { facts: reviewed.review, changes: reviewed.changes },
    item,
    history: history.map(historyEntryView),
  };
}

export type ItemView = Awaited<ReturnType<typeof itemView>>;
