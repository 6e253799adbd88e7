/**
 * What an accounting approver reviews. When a round opens, the item's export payload and these facts
 * are frozen together as the round's reviewed snapshot; the export sends exactly that payload, and a
 * re-send shows what changed since the rejected snapshot.
 */
import type { ItemType } from './item-types';
import { formatMoney, totalCents, type Item, type Person } from './items';

export interface ReviewLine {
  lineNo: number;
  description: string;
  /** Change orders: the commitment's schedule-of-values line this modifies. */
  sovLineNo: number | null;
  costCode: string | null;
  category: string | null;
  amountCents: number;
}

/** The essentials shown in a review request: the same for every path (Slack, API, summary). */
export interface ReviewFacts {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string;
  number: string | null;
  description: string | null;
  vendor: string | null;
  totalCents: number | null;
  creator: Person;
  createdAt: string;
  lines: ReviewLine[];
}

export function reviewFacts(item: Item): ReviewFacts {
  const common = {
    type: item.type,
    ref: item.ref,
    projectRef: item.projectRef,
    title: item.title,
    creator: item.createdBy,
    createdAt: item.createdAt,
    totalCents: totalCents(item),
  };
  switch (item.type) {
    case 'project':
      return { ...common, number: item.number, description: null, vendor: null, lines: [] };
    case 'commitment':
      return {
        ...common,
        number: item.number,
        description: item.description,
        vendor: item.vendor?.name ?? null,
        lines: item.lines.map((l) => ({
          lineNo: l.lineNo,
          description: l.description,
          sovLineNo: null,
          costCode: l.costCode,
          category: l.category,
          amountCents: l.amountCents,
        })),
      };
    case 'cco':
      return {
        ...common,
        number: item.erpNumber ? `${item.number} (ERP ID ${item.erpNumber})` : item.number,
        description: item.description,
        vendor: item.vendor?.name ?? null,
        lines: item.lines.map((l) => ({
          lineNo: l.lineNo,
          description: l.description,
          sovLineNo: l.sovLineNo,
          costCode: l.costCode,
          category: l.category,
          amountCents: l.amountCents,
        })),
      };
  }
}

/** One difference between the rejected snapshot and the re-sent one, in words for people. */
export interface ReviewChange {
  /** `title`, `totalAmount`, `lines.3` … */
  field: string;
  label: string;
  from: string | null;
  to: string | null;
}

const money = (cents: number | null) => (cents === null ? null : formatMoney(cents));

function lineWords(line: ReviewLine): string {
  const target = line.sovLineNo === null ? '' : `SOV ${line.sovLineNo} · `;
  const code = [line.costCode, line.category].filter(Boolean).join('/');
  return `${target}${line.description || '(no description)'}${code ? ` · ${code}` : ''} · ${formatMoney(line.amountCents)}`;
}

/** Fields and lines that differ, old → new, in the order a reviewer reads them. */
export function reviewChanges(before: ReviewFacts, after: ReviewFacts): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const compare = (field: string, label: string, from: string | null, to: string | null) => {
    if (from !== to) changes.push({ field, label, from, to });
  };
  compare('title', 'Title', before.title, after.title);
  compare('number', 'Number', before.number, after.number);
  compare('vendor', 'Contract Company', before.vendor, after.vendor);
  compare('description', 'Description', before.description, after.description);
  compare('totalAmount', 'Total Amount', money(before.totalCents), money(after.totalCents));
  const old = new Map(before.lines.map((line) => [line.lineNo, line]));
  const now = new Map(after.lines.map((line) => [line.lineNo, line]));
  const lineNos = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) => a - b);
  for (const lineNo of lineNos) {
    const from = old.get(lineNo);
    const to = now.get(lineNo);
    compare(`lines.${lineNo}`, `Line ${lineNo}`, from ? lineWords(from) : null, to ? lineWords(to) : null);
  }
  return changes;
}

/** JSON with keys sorted at every level and no spaces: the bytes the snapshot's hash is taken over. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
