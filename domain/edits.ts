/**
 * What an edit from a source system may change. While an item is with accounting or in the ERP, every
 * field that feeds its ERP record is locked, lines included; line numbers identify lines.
 */
import { InvalidItem, ItemLocked } from './errors';
import { ITEM_TYPE_INFO, type ItemType } from './item-types';
import { isLocked, statusLabel, type ErpStatus } from './statuses';

/** Each locked field's value, lines as one comparable string per line number. */
type LockedValues = Record<string, string | number | null | Map<number, string>>;

function lineValues<T extends { lineNo: number }>(lines: readonly T[], describe: (line: T) => unknown[]): Map<number, string> {
  return new Map(lines.map((line) => [line.lineNo, JSON.stringify(describe(line))]));
}

/** "line 2 changed, line 4 added" */
function lineDifferences(before: Map<number, string>, after: Map<number, string>): string[] {
  const lineNos = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  return lineNos.flatMap((lineNo) => {
    const was = before.get(lineNo);
    const is = after.get(lineNo);
    if (was === is) return [];
    return [`line ${lineNo} ${was === undefined ? 'added' : is === undefined ? 'removed' : 'changed'}`];
  });
}

/**
 * While an item is with accounting or in the ERP, every field that feeds its ERP record is locked —
 * lines included, so lines cannot be moved, re-coded, added or removed under an unchanged total.
 */
export function assertUnlocked(type: ItemType, ref: string, status: ErpStatus, before: LockedValues, after: LockedValues): void {
  if (!isLocked(status)) return;
  const changed: { field: string; words: string }[] = [];
  for (const { field, label } of ITEM_TYPE_INFO[type].lockedFields) {
    const was = before[field];
    const is = after[field];
    if (was instanceof Map && is instanceof Map) {
      const lines = lineDifferences(was, is);
      if (lines.length > 0) changed.push({ field, words: `${label} (${lines.join(', ')})` });
    } else if (field in after && was !== is) {
      changed.push({ field, words: label });
    }
  }
  if (changed.length === 0) return;
  throw new ItemLocked(
    `${ITEM_TYPE_INFO[type].label} ${ref} is ${statusLabel(status)}: ${changed.map((c) => c.words).join(', ')} ` +
      `cannot be edited until accounting rejects it or it is retrieved.`,
    changed.map((c) => c.field),
    status,
  );
}

/** The creation date is the first intake's: a later one may repeat it but never move it. */
export function createdAtOf(stored: Date, given: string | undefined): string {
  return given === undefined ? stored.toISOString() : new Date(given).toISOString();
}

export const sovLineValues = (
  lines: readonly { lineNo: number; description: string; costCode: string | null; category: string | null; amountCents: bigint }[],
) => lineValues(lines, (l) => [l.description, l.costCode, l.category, String(l.amountCents)]);

export const changeOrderLineValues = (lines: readonly { lineNo: number; sovLineNo: number; description: string; amountCents: bigint }[]) =>
  lineValues(lines, (l) => [l.sovLineNo, l.description, String(l.amountCents)]);

/** Line numbers identify lines (the ERP's contract line items): two lines cannot share one. */
export function assertUniqueLineNumbers(lines: readonly { lineNo: number }[], field: string): void {
  const seen = new Set<number>();
  for (const [index, line] of lines.entries()) {
    if (seen.has(line.lineNo))
      throw new InvalidItem(
        `${field}.${index}.lineNo: line number ${line.lineNo} is used twice; line numbers must be unique.`,
        `${field}.${index}.lineNo`,
      );
    seen.add(line.lineNo);
  }
}

export const sum = (lines: { amountCents: number | bigint }[]) => lines.reduce((total, line) => total + Number(line.amountCents), 0);
