/**
 * Sage 300 CRE: its minimum requirements and its export record. Every Sage-specific rule lives here.
 */
import type { Violation } from '../errors';
import {
  calendarDate,
  formatCents,
  totalCents,
  type ChangeOrderItem,
  type CommitmentItem,
  type Item,
  type ProjectItem,
  type VendorView,
} from '../items';
import { ITEM_ACTIONS, LOCKING_STATUSES, statusLabel } from '../statuses';
import { companyZone, type ErpProfile, type ErpSettings, type ExportPayload } from './profile';

const MAX_ID = 5;
const MAX_TITLE = 30;
const MAX_SCOPE = 1000;
const MAX_JOB_NUMBER = 10;
/**
 * The characters of a change order's ID Number: printable ASCII, no spaces. Invisible, accented and
 * look-alike letters (Cyrillic Р, fullwidth Ｒ) would file a second record that reads the same.
 */
const ERP_ID_CHARACTERS = /^[\x21-\x7E]+$/;

function changeOrderErpId(item: Pick<ChangeOrderItem, 'erpNumber' | 'number'>, settings: ErpSettings): string | null {
  const typed = item.erpNumber?.trim();
  if (typed) return typed;
  return settings.erpIdFromChangeOrderNumber ? item.number : null;
}

function vendorViolations(vendor: VendorView | null): Violation[] {
  if (!vendor) return [{ field: 'vendorId', reason: 'Contract Company is missing; pick the company the contract is with.' }];
  if (!vendor.erpVendorId) {
    return [
      { field: 'vendorId', reason: `Contract Company "${vendor.name}" is not linked to a Sage 300 CRE vendor; ask accounting to link it.` },
    ];
  }
  return [];
}

function statusViolations(status: string): Violation[] {
  return status === 'Approved' ? [] : [{ field: 'status', reason: `Status must be 'Approved' (it is '${status}').` }];
}

function titleViolations(title: string): Violation[] {
  if (!title.trim()) return [{ field: 'title', reason: 'Title is required.' }];
  if (title.length > MAX_TITLE) {
    return [{ field: 'title', reason: `Title must be ${MAX_TITLE} characters or less (it has ${title.length}).` }];
  }
  return [];
}

function checkProject(item: ProjectItem): Violation[] {
  const violations: Violation[] = [];
  if (!item.title.trim()) violations.push({ field: 'name', reason: 'Project name is required.' });
  if (!item.number?.trim()) {
    violations.push({ field: 'number', reason: 'Project Number is required: Sage 300 CRE files the job under it.' });
  } else if (item.number.length > MAX_JOB_NUMBER) {
    violations.push({
      field: 'number',
      reason: `Project Number must be ${MAX_JOB_NUMBER} characters or less (it has ${item.number.length}).`,
    });
  }
  return violations;
}

function checkCommitment(item: CommitmentItem): Violation[] {
  const violations: Violation[] = [...titleViolations(item.title), ...statusViolations(item.status), ...vendorViolations(item.vendor)];
  if (!item.lines.some((line) => line.erpCostCode)) {
    violations.push({
      field: 'sovLines',
      reason: `The Schedule of Values needs at least one line linked to a Sage 300 CRE cost code and one of its categories${lineProblems(item.lines, 'line')}`,
    });
  }
  return violations;
}

/** ": line 1 has no cost code; line 2 has category X, which is not …." — or "." when there are no lines. */
function lineProblems(lines: readonly { lineNo: number; costCodeProblem: string | null }[], noun: string): string {
  const problems = lines.filter((line) => line.costCodeProblem).map((line) => `${noun} ${line.lineNo} ${line.costCodeProblem}`);
  return problems.length > 0 ? `: ${problems.join('; ')}.` : ' (there are no lines).';
}

function checkChangeOrder(item: ChangeOrderItem, settings: ErpSettings): Violation[] {
  const violations: Violation[] = [];
  const erpId = changeOrderErpId(item, settings);
  if (!erpId) {
    violations.push({ field: 'erpNumber', reason: 'ID Number is required (the company does not fill it from the change order number).' });
  } else if (erpId.length > MAX_ID) {
    violations.push({
      field: item.erpNumber?.trim() ? 'erpNumber' : 'number',
      reason: `ID Number must be ${MAX_ID} characters or less ("${erpId}" has ${erpId.length}).`,
    });
  } else {
    // Sage 300 CRE files a change order under its commitment and ID Number: a second one with the same
    // number, once the first is with accounting or in the ERP (or may be: its export got no answer),
    // would be a second record of it.
    const taken = item.siblings.find(
      (sibling) =>
        (LOCKING_STATUSES.includes(sibling.status) || sibling.mayBeInErp) &&
        changeOrderErpId(sibling, settings)?.toUpperCase() === erpId.toUpperCase(),
    );
    if (!ERP_ID_CHARACTERS.test(erpId)) {
      violations.push({
        field: item.erpNumber?.trim() ? 'erpNumber' : 'number',
        reason: `ID Number may hold only letters A–Z, digits and keyboard punctuation, without spaces ("${erpId}" has others, maybe invisible).`,
      });
    } else if (taken) {
      const where = LOCKING_STATUSES.includes(taken.status)
        ? statusLabel(taken.status)
        : `${statusLabel(taken.status)}, but its export may be in the ERP`;
      violations.push({
        field: item.erpNumber?.trim() ? 'erpNumber' : 'number',
        reason: `ID Number ${erpId} is already used on commitment ${item.commitmentRef} by change order ${taken.ref} (${where}).`,
      });
    }
  }
  violations.push(...titleViolations(item.title), ...statusViolations(item.status), ...vendorViolations(item.vendor));
  if (!item.lines.some((line) => line.erpCostCode)) {
    violations.push({
      field: 'lines',
      reason: `At least one line item must modify a Schedule of Values line linked to a Sage 300 CRE cost code and one of its categories${lineProblems(item.lines, 'line item')}`,
    });
  }
  return violations;
}

/** Sage 300 CRE accepts one modification per contract line item: several are sent as their sum. */
function summedModifications(item: ChangeOrderItem) {
  const bySovLine = new Map<number, { costCode: string | null; cents: number; descriptions: string[] }>();
  for (const line of item.lines) {
    const entry = bySovLine.get(line.sovLineNo) ?? { costCode: line.costCode, cents: 0, descriptions: [] };
    entry.cents += line.amountCents;
    entry.descriptions.push(line.description);
    bySovLine.set(line.sovLineNo, entry);
  }
  return [...bySovLine.entries()]
    .sort(([a], [b]) => a - b)
    .map(([sovLineNo, entry]) => ({
      contractLineItem: sovLineNo,
      costCode: entry.costCode,
      description: entry.descriptions.join('; ').slice(0, MAX_SCOPE),
      amount: formatCents(entry.cents),
    }));
}

function payload(item: Item, settings: ErpSettings): ExportPayload {
  switch (item.type) {
    case 'project':
      return { erp: 'sage300cre', record: 'job', ref: item.ref, job: item.number ?? '', description: item.title };
    case 'commitment':
      return {
        erp: 'sage300cre',
        record: item.kind === 'subcontract' ? 'subcontract' : 'purchase_order',
        ref: item.ref,
        job: item.parent?.erpId ?? null,
        commitment: item.number,
        description: item.title,
        scope: item.description.slice(0, MAX_SCOPE),
        vendor: item.vendor?.erpVendorId ?? null,
        commitmentDate: calendarDate(item.createdAt, companyZone(settings)),
        amount: formatCents(totalCents(item) ?? 0),
        items: item.lines.map((line) => ({
          item: line.lineNo,
          costCode: line.costCode,
          category: line.category,
          description: line.description,
          amount: formatCents(line.amountCents),
        })),
      };
    case 'cco':
      return {
        erp: 'sage300cre',
        record: 'commitment_change_order',
        ref: item.ref,
        commitment: item.parent?.erpId ?? null,
        id: changeOrderErpId(item, settings),
        description: item.title,
        scope: item.description.slice(0, MAX_SCOPE),
        vendor: item.vendor?.erpVendorId ?? null,
        // The creation date in Procore is not editable and becomes Sage's commitment date: the company's calendar day.
        commitmentDate: calendarDate(item.createdAt, companyZone(settings)),
        amount: formatCents(totalCents(item) ?? 0),
        items: summedModifications(item),
      };
  }
}

export const sage300cre: ErpProfile = {
  id: 'sage300cre',
  name: 'Sage 300 CRE',
  supports: { project: ITEM_ACTIONS, commitment: ITEM_ACTIONS, cco: ITEM_ACTIONS },
  check(item, settings) {
    switch (item.type) {
      case 'project':
        return checkProject(item);
      case 'commitment':
        return checkCommitment(item);
      case 'cco':
        return checkChangeOrder(item, settings);
    }
  },
  toPayload: payload,
};
