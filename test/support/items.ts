/** Domain items as the store loads them, for the pure tests: a project, a commitment, a change order. */
import type { ChangeOrderItem, CommitmentItem, ProjectItem } from '../../domain/items';

export const PAT = { id: 'u-pat', name: 'Pat' };
export const VENDOR = { id: 'V1', name: 'Solid Rock Concrete', erpVendorId: 'SRC100' };

export function projectItem(overrides: Partial<ProjectItem> = {}): ProjectItem {
  return {
    type: 'project',
    ref: 'P-1',
    projectRef: 'P-1',
    title: 'Riverside Clinic',
    number: 'J-100',
    createdBy: PAT,
    createdAt: '2026-10-01T12:00:00.000Z',
    parent: null,
    url: null,
    ...overrides,
  };
}

export function commitmentItem(overrides: Partial<CommitmentItem> = {}): CommitmentItem {
  return {
    type: 'commitment',
    ref: 'SC-1',
    projectRef: 'P-1',
    kind: 'subcontract',
    number: 'SC-001',
    title: 'Concrete',
    description: 'Foundations',
    status: 'Approved',
    vendor: VENDOR,
    createdBy: PAT,
    createdAt: '2026-10-01T23:30:00.000Z',
    parent: { type: 'project', ref: 'P-1', status: 'Synced', erpId: 'SBX-1' },
    url: null,
    lines: [
      {
        lineNo: 1,
        description: 'Footings',
        costCode: '03-300',
        category: 'S',
        erpCostCode: true,
        costCodeProblem: null,
        amountCents: 125_050,
      },
      { lineNo: 2, description: 'Slab', costCode: '03-310', category: 'S', erpCostCode: true, costCodeProblem: null, amountCents: 100 },
    ],
    ...overrides,
  };
}

/** A change order of commitment SC-1 (in the ERP as SBX-1) with one line on an ERP cost code. */
export function ccoItem(overrides: Partial<ChangeOrderItem> = {}): ChangeOrderItem {
  return {
    type: 'cco',
    ref: 'CO-1',
    projectRef: 'P-1',
    commitmentRef: 'SC-1',
    number: '001',
    erpNumber: null,
    title: 'Extra rebar',
    description: 'Adds rebar',
    status: 'Approved',
    vendor: VENDOR,
    createdBy: { id: 'u1', name: 'Pat' },
    createdAt: '2026-10-01T12:00:00.000Z',
    parent: { type: 'commitment', ref: 'SC-1', status: 'Synced', erpId: 'SBX-1' },
    url: null,
    siblings: [],
    lines: [
      {
        lineNo: 1,
        sovLineNo: 1,
        description: 'Rebar',
        amountCents: 100,
        costCode: '03-300',
        category: 'S',
        erpCostCode: true,
        costCodeProblem: null,
      },
    ],
    ...overrides,
  };
}
