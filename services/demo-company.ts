/**
 * A realistic small general contractor for the demo: people with their Procore permissions, ERP
 * vendors and cost codes, one project with a subcontract and a purchase order, and change orders of
 * which some meet the Sage 300 CRE minimum requirements and some do not (each says why).
 */
import type { z } from 'zod';
import type { ChangeOrderBody, CommitmentBody, CostCodeBody, ProjectBody, UserBody, VendorBody } from '../domain/intake';

type In<T extends z.ZodType> = z.input<T>;

export const PROJECT = 'P-1001';
export const SUBCONTRACT = 'SC-1001';
export const PURCHASE_ORDER = 'PO-1001';

export const users: Record<string, In<typeof UserBody>> = {
  'u-pat': {
    name: 'Pat Morgan',
    email: 'pat.morgan@example.com',
    permissions: [
      { tool: 'Admin', level: 'Admin', project: PROJECT },
      { tool: 'Commitments', level: 'Admin', project: PROJECT },
      { tool: 'ChangeOrders', level: 'Admin', project: PROJECT },
    ],
  },
  'u-riley': {
    name: 'Riley Chen',
    email: 'riley.chen@example.com',
    permissions: [
      { tool: 'Commitments', level: 'Admin', project: PROJECT },
      { tool: 'ChangeOrders', level: 'Admin', project: PROJECT },
    ],
  },
  'u-dana': {
    name: 'Dana Lee',
    email: 'dana.lee@example.com',
    canPushToAccounting: true,
    permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }],
  },
  'u-eli': {
    name: 'Eli Field',
    email: 'eli.field@example.com',
    permissions: [{ tool: 'Commitments', level: 'ReadOnly', project: PROJECT }],
  },
};

export const vendors: Record<string, In<typeof VendorBody>> = {
  'V-SOLID': { name: 'Solid Rock Concrete Inc.', erpVendorId: 'SOLID01' },
  'V-STEEL': { name: 'Midwest Rebar Supply', erpVendorId: 'MWREB02' },
  'V-SPARK': { name: 'Bright Spark Electric' },
};

export const costCodes: Record<string, In<typeof CostCodeBody>> = {
  '03-100': { description: 'Concrete forming', categories: ['L', 'M', 'S'] },
  '03-200': { description: 'Concrete reinforcing', categories: ['M', 'S'] },
  '03-300': { description: 'Cast-in-place concrete', categories: ['L', 'M', 'S'] },
};

export const project: In<typeof ProjectBody> = {
  name: 'Riverside Medical Clinic',
  number: 'RMC-24',
  createdBy: 'u-pat',
  createdAt: '2026-09-01T14:00:00Z',
};

export const commitments: Record<string, In<typeof CommitmentBody>> = {
  [SUBCONTRACT]: {
    project: PROJECT,
    kind: 'subcontract',
    number: 'SC-1001',
    title: 'Foundations and slab on grade',
    description: 'Footings, grade beams and slab on grade per structural drawings S-101 to S-104.',
    status: 'Approved',
    vendorId: 'V-SOLID',
    createdBy: 'u-pat',
    createdAt: '2026-09-15T15:00:00Z',
    sovLines: [
      { lineNo: 1, description: 'Footings and grade beams', costCode: '03-300', category: 'S', amount: '184500.00' },
      { lineNo: 2, description: 'Slab on grade', costCode: '03-300', category: 'S', amount: '96250.00' },
      { lineNo: 3, description: 'Formwork', costCode: '03-100', category: 'S', amount: '41800.00' },
    ],
  },
  [PURCHASE_ORDER]: {
    project: PROJECT,
    kind: 'purchase_order',
    number: 'PO-1001',
    title: 'Rebar supply',
    description: 'Grade 60 reinforcing steel, delivered to site.',
    status: 'Approved',
    vendorId: 'V-STEEL',
    createdBy: 'u-riley',
    createdAt: '2026-09-20T15:00:00Z',
    sovLines: [{ lineNo: 1, description: 'Rebar #4 to #8', costCode: '03-200', category: 'M', amount: '38740.00' }],
  },
};

/** Change orders on the subcontract: the first two pass the Sage 300 CRE rules, the others show why some do not. */
export const changeOrders: Record<string, In<typeof ChangeOrderBody> & { note: string }> = {
  'CO-001': {
    note: 'passes the Sage 300 CRE rules; two modifications of line 1 are exported as one sum',
    commitment: SUBCONTRACT,
    number: '001',
    title: 'Added footing at grid C-4',
    description: 'RFI 014: new spread footing at grid C-4 for the relocated column.',
    status: 'Approved',
    createdBy: 'u-pat',
    createdAt: '2026-10-28T16:20:00Z',
    lines: [
      { lineNo: 1, sovLineNo: 1, description: 'Footing concrete', amount: '6840.00' },
      { lineNo: 2, sovLineNo: 1, description: 'Footing labor', amount: '2115.50' },
      { lineNo: 3, sovLineNo: 3, description: 'Forms', amount: '980.00' },
    ],
  },
  'CO-002': {
    note: 'passes the Sage 300 CRE rules (a deduct)',
    commitment: SUBCONTRACT,
    number: '002',
    title: 'Slab thickness VE',
    description: 'Owner-approved VE: slab reduced from 6" to 5" in storage rooms.',
    status: 'Approved',
    createdBy: 'u-riley',
    createdAt: '2026-11-04T13:05:00Z',
    lines: [{ lineNo: 1, sovLineNo: 2, description: 'Reduced slab thickness', amount: '-4320.00' }],
  },
  'CO-003': {
    note: 'fails: the ID number "CO-0003" is longer than 5 characters and the status is not Approved',
    commitment: SUBCONTRACT,
    number: 'CO-0003',
    title: 'Winter protection',
    description: 'Heated enclosures and blankets for slab pours in December.',
    status: 'Pending - In Review',
    createdBy: 'u-pat',
    createdAt: '2026-11-10T09:40:00Z',
    lines: [{ lineNo: 1, sovLineNo: 2, description: 'Heaters and blankets', amount: '7450.00' }],
  },
  'CO-004': {
    note: 'fails: the title is longer than 30 characters',
    commitment: SUBCONTRACT,
    number: '004',
    title: 'Additional dowels at the elevator pit walls per RFI 021',
    description: 'Dowels at the elevator pit.',
    status: 'Approved',
    createdBy: 'u-riley',
    createdAt: '2026-11-12T11:00:00Z',
    lines: [{ lineNo: 1, sovLineNo: 1, description: 'Dowels', amount: '1290.00' }],
  },
};
