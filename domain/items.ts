/**
 * Items as the rules and the ERP mapping see them: plain data, loaded by the store, with amounts in
 * integer cents so sums are exact.
 */
import type { ItemType } from './item-types';
import type { ErpStatus } from './statuses';

export interface Person {
  id: string;
  name: string;
}

export interface VendorView {
  id: string;
  name: string;
  /** The ERP vendor the company is linked to; null until accounting links it. */
  erpVendorId: string | null;
}

export interface ParentView {
  type: ItemType;
  ref: string;
  status: ErpStatus;
  erpId: string | null;
}

interface ItemCommon {
  ref: string;
  projectRef: string;
  title: string;
  createdBy: Person;
  /** ISO timestamp from the source system, set by the first intake and never changed. */
  createdAt: string;
  parent: ParentView | null;
  /** The item in the source system ("View Online"), when the intake gave one. */
  url: string | null;
}

export interface ProjectItem extends ItemCommon {
  type: 'project';
  number: string | null;
}

export interface SovLineView {
  lineNo: number;
  description: string;
  costCode: string | null;
  category: string | null;
  /** The line is linked to a cost code the ERP knows and to one of that code's categories. */
  erpCostCode: boolean;
  /** Why it is not (for the refusal that names the line); null when it is. */
  costCodeProblem: string | null;
  amountCents: number;
}

export interface CommitmentItem extends ItemCommon {
  type: 'commitment';
  kind: 'subcontract' | 'purchase_order';
  number: string;
  description: string;
  status: string;
  vendor: VendorView | null;
  lines: SovLineView[];
}

export interface ChangeOrderLineView {
  lineNo: number;
  /** The commitment's schedule-of-values line this modifies. */
  sovLineNo: number;
  description: string;
  amountCents: number;
  /** Taken from the modified SOV line; null where that line does not exist. */
  costCode: string | null;
  category: string | null;
  erpCostCode: boolean;
  costCodeProblem: string | null;
}

/** Another change order of the same commitment, as the ERP's one-id-per-commitment rule reads it. */
export interface SiblingChangeOrder {
  ref: string;
  number: string;
  erpNumber: string | null;
  status: ErpStatus;
  /** An export of it was booked, or got no answer: the ERP holds it, or may, whatever its status now. */
  mayBeInErp: boolean;
}

export interface ChangeOrderItem extends ItemCommon {
  type: 'cco';
  commitmentRef: string;
  number: string;
  /** The ERP id typed by the project manager, if any. */
  erpNumber: string | null;
  description: string;
  status: string;
  vendor: VendorView | null;
  lines: ChangeOrderLineView[];
  /**
   * The commitment's other change orders that are with accounting or in the ERP (LOCKING_STATUSES), or
   * may be, and whose number or ERP number could make this one's ERP id theirs: an ERP id names one
   * change order of a commitment.
   */
  siblings: SiblingChangeOrder[];
}

export type Item = ProjectItem | CommitmentItem | ChangeOrderItem;

export function totalCents(item: Item): number | null {
  if (item.type === 'project') return null;
  return item.lines.reduce((sum, line) => sum + line.amountCents, 0);
}

/** Amounts travel as decimal strings ("1250.50"), never floats. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Why a line does not count as linked to the ERP: it needs a cost code the ERP knows and one of that
 * code's categories (seed 003). `known` maps each ERP cost code to its categories. Null when it counts.
 */
export function costCodeProblem(
  costCode: string | null,
  category: string | null,
  known: ReadonlyMap<string, readonly string[]>,
): string | null {
  if (!costCode) return 'has no cost code';
  const categories = known.get(costCode);
  if (!categories) return `has cost code ${costCode}, which is not an ERP cost code`;
  const offered = categories.length > 0 ? categories.join(', ') : 'none';
  if (!category) return `has no category (cost code ${costCode} takes ${offered})`;
  if (!categories.includes(category))
    return `has category ${category}, which is not one of cost code ${costCode}'s categories (${offered})`;
  return null;
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function calendarDate(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(iso),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function parseAmount(value: number | string): number {
  return Math.round(Number(value) * 100);
}

/** "$1,250.50" for people. */
export function formatMoney(cents: number): string {
  const [whole, fraction] = formatCents(Math.abs(cents)).split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${grouped}.${fraction}`;
}

/** The few refs closest to an unknown one, for "did you mean" answers. */
export function closestRefs(wanted: string, known: readonly string[], limit = 3): string[] {
  const target = wanted.toLowerCase();
  return known
    .map((ref) => ({ ref, distance: editDistance(target, ref.toLowerCase()) }))
    .filter(({ ref, distance }) => distance <= Math.max(2, Math.ceil(target.length / 3)) || ref.toLowerCase().includes(target))
    .sort((a, b) => a.distance - b.distance || a.ref.localeCompare(b.ref))
    .slice(0, limit)
    .map(({ ref }) => ref);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** "Sam Ortiz on behalf of Dana Lee" (a delegate deciding for an approver who is away), or the person's name alone. */
export function deciderWords(by: Person, onBehalfOf?: Person | null): string {
  return onBehalfOf ? `${by.name} on behalf of ${onBehalfOf.name}` : by.name;
}
