/**
 * A small construction company pushed through the intake service: a project manager, an accounting
 * approver, a field engineer with no rights, vendors, cost codes, a project with a subcontract and
 * change orders.
 */
import { ChangeOrderBody, CommitmentBody, CostCodeBody, ProjectBody, UserBody, VendorBody } from '../../domain/intake';
import type { Intake } from '../../store/intake';
import type { z } from 'zod';

export const PM = 'u-pm';
export const APPROVER = 'u-approver';
export const APPROVER_2 = 'u-approver-2';
export const ENGINEER = 'u-engineer';
/** Holds Admin on the project's tools and is an accounting approver too (a controller in a small office). */
export const BOTH = 'u-both';

export async function addSenderApprover(intake: Intake, slackId?: string) {
  await intake.upsertUser(
    BOTH,
    UserBody.parse({
      name: 'Casey Both',
      email: 'casey@example.com',
      slackId,
      canPushToAccounting: true,
      permissions: [
        { tool: 'Commitments', level: 'Admin', project: 'P-100' },
        { tool: 'ChangeOrders', level: 'Admin', project: 'P-100' },
        { tool: 'ErpIntegrations', level: 'Admin' },
      ],
    }),
  );
}

export async function seedCompany(intake: Intake, project = 'P-100') {
  const user = (id: string, body: z.input<typeof UserBody>) => intake.upsertUser(id, UserBody.parse(body));
  await user(PM, {
    name: 'Pat Morgan',
    email: 'pat@example.com',
    permissions: [
      { tool: 'Admin', level: 'Admin', project },
      { tool: 'Commitments', level: 'Admin', project },
      { tool: 'ChangeOrders', level: 'Admin', project },
    ],
  });
  await user(APPROVER, {
    name: 'Dana Lee',
    email: 'dana@example.com',
    canPushToAccounting: true,
    permissions: [{ tool: 'ErpIntegrations', level: 'Standard' }],
  });
  await user(APPROVER_2, {
    name: 'Sam Ortiz',
    email: 'sam@example.com',
    canPushToAccounting: true,
    permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }],
  });
  await user(ENGINEER, {
    name: 'Eli Field',
    email: 'eli@example.com',
    permissions: [
      { tool: 'Commitments', level: 'Standard', project },
      { tool: 'ErpIntegrations', level: 'ReadOnly' },
    ],
  });
  await intake.upsertVendor('V-CONCRETE', VendorBody.parse({ name: 'Solid Rock Concrete', erpVendorId: 'SRC100' }));
  await intake.upsertVendor('V-NEW', VendorBody.parse({ name: 'Brand New Electric' }));
  await intake.upsertCostCode('03-300', CostCodeBody.parse({ description: 'Cast-in-place concrete', categories: ['L', 'M', 'S'] }));
  await intake.upsertCostCode('05-100', CostCodeBody.parse({ description: 'Structural steel', categories: ['S'] }));
  await intake.upsertProject(project, ProjectBody.parse({ name: 'Riverside Clinic', number: 'RC-24', createdBy: PM }));
}

export function commitmentBody(overrides: Partial<z.input<typeof CommitmentBody>> = {}) {
  return CommitmentBody.parse({
    project: 'P-100',
    kind: 'subcontract',
    number: 'SC-001',
    title: 'Concrete foundations',
    description: 'Footings and slab on grade',
    status: 'Approved',
    vendorId: 'V-CONCRETE',
    createdBy: PM,
    sovLines: [
      { lineNo: 1, description: 'Footings', costCode: '03-300', category: 'S', amount: '120000.00' },
      { lineNo: 2, description: 'Slab', costCode: '03-300', category: 'S', amount: 80000 },
    ],
    ...overrides,
  });
}

export function changeOrderBody(overrides: Partial<z.input<typeof ChangeOrderBody>> = {}) {
  return ChangeOrderBody.parse({
    commitment: 'SC-001',
    number: '001',
    title: 'Extra rebar at grid C',
    description: 'Engineer RFI 14 adds rebar',
    status: 'Approved',
    createdBy: PM,
    createdAt: '2026-11-02T15:30:00Z',
    lines: [
      { lineNo: 1, sovLineNo: 1, description: 'Rebar', amount: '1500.00' },
      { lineNo: 2, sovLineNo: 1, description: 'Labor for rebar', amount: '750.25' },
      { lineNo: 3, sovLineNo: 2, description: 'Slab thickening', amount: '2000' },
    ],
    ...overrides,
  });
}
