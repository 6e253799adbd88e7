import { ParentNotSynced, RequirementsNotMet } from '../errors';
import { ITEM_TYPE_INFO, itemName } from '../item-types';
import { capitalized } from '../text';
import type { Item } from '../items';
import { statusLabel } from '../statuses';
import type { ErpProfile, ErpSettings } from './profile';
import { sage300cre } from './sage300cre';

export * from './profile';
export { sage300cre } from './sage300cre';

export const ERP_PROFILES: Record<string, ErpProfile> = { [sage300cre.id]: sage300cre };

export function erpProfile(id: string): ErpProfile {
  const profile = ERP_PROFILES[id];
  if (!profile) throw new Error(`Unknown ERP profile "${id}" (known: ${Object.keys(ERP_PROFILES).join(', ')})`);
  return profile;
}

/** The refusal when the ERP does not have the item's parent yet, or null. */
export function parentProblem(profile: ErpProfile, item: Item): ParentNotSynced | null {
  if (!item.parent || item.parent.status === 'Synced') return null;
  const parentLabel = ITEM_TYPE_INFO[item.parent.type].label;
  return new ParentNotSynced(
    `The ${parentLabel}'s ERP data has not yet been synced: ${itemName(item.parent.type, item.parent.ref)} is ${statusLabel(item.parent.status)}. ` +
      `Send ${item.parent.ref} to ${profile.name} and have it accepted first.`,
    item.parent,
  );
}

/**
 * Everything that keeps an item from being sent: the ERP needs the parent first, then the item must
 * meet the ERP's minimum requirements. Throws the refusal a person reads; returns when sendable.
 */
export function assertSendable(profile: ErpProfile, item: Item, settings: ErpSettings): void {
  const parent = parentProblem(profile, item);
  if (parent) throw parent;
  const violations = profile.check(item, settings);
  if (violations.length > 0) {
    throw new RequirementsNotMet(
      `${capitalized(itemName(item.type, item.ref))} does not meet the ${profile.name} minimum requirements: ` +
        violations.map((v) => v.reason).join(' '),
      violations,
    );
  }
}
