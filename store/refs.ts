/** Finds an item from what a person typed: `CO-7`, or `cco:CO-7` where the ref is used by two types. */
import { InvalidRequest, UnknownItem } from '../domain/errors';
import { isItemType, type ItemType } from '../domain/item-types';
import { closestRefs } from '../domain/items';
import { isStorableText } from '../domain/text';
import type { Db } from './prisma';

export async function resolveRef(db: Db, typed: string): Promise<{ type: ItemType; ref: string }> {
  const text = typed.trim();
  if (!text) throw new InvalidRequest('Which item? Give its ref, e.g. `CO-7`.');
  // No stored ref holds such characters, and the database would refuse to compare with them.
  if (!isStorableText(text)) throw new UnknownItem('There is no such item: refs hold no NUL characters or unpaired surrogates.', []);
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon) : '';
  const ref = isItemType(prefix) ? text.slice(colon + 1) : text;
  const matches = await db.erpRecord.findMany({
    where: { itemRef: ref, ...(isItemType(prefix) ? { itemType: prefix } : {}) },
    select: { itemType: true, itemRef: true },
    orderBy: { itemType: 'asc' },
  });
  if (matches.length === 1) return { type: matches[0]!.itemType, ref: matches[0]!.itemRef };
  if (matches.length > 1) {
    throw new InvalidRequest(
      `${ref} is the ref of several items: say which with ${matches.map((m) => `\`${m.itemType}:${ref}\``).join(' or ')}.`,
    );
  }
  const all = await db.erpRecord.findMany({ select: { itemRef: true }, orderBy: { itemRef: 'asc' } });
  const suggestions = closestRefs(ref, [...new Set(all.map((r) => r.itemRef))]);
  throw new UnknownItem(
    `There is no item "${ref}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ''}`,
    suggestions,
  );
}
