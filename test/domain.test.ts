import { assertSendable, sage300cre } from '../domain/erp-profiles';
import { formatCents, formatMoney, closestRefs, type ChangeOrderItem, type CommitmentItem } from '../domain/items';
import { assertPermitted, isAccountingApprover, missingPermissions, type Actor } from '../domain/permissions';
import { actionsAvailable, canApply, ERP_STATUSES, isLocked, nextStatus, ITEM_ACTIONS } from '../domain/statuses';
import { ConfigError, loadConfig } from '../platform/config';

const settings = { erpIdFromChangeOrderNumber: true };
const vendor = { id: 'V1', name: 'Solid Rock Concrete', erpVendorId: 'SRC100' };

function cco(overrides: Partial<ChangeOrderItem> = {}): ChangeOrderItem {
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
    vendor,
    createdBy: { id: 'u1', name: 'Pat' },
    createdAt: '2026-10-01T12:00:00.000Z',
    parent: { type: 'commitment', ref: 'SC-1', status: 'Synced', erpId: 'SBX-1' },
    lines: [{ lineNo: 1, sovLineNo: 1, description: 'Rebar', amountCents: 100, costCode: '03-300', erpCostCode: true }],
    ...overrides,
  };
}

describe('the ERP status machine', () => {
  test('follows the specified moves and nothing else', () => {
    const moves = ERP_STATUSES.flatMap((from) => ITEM_ACTIONS.filter((a) => canApply(from, a)).map((a) => `${from} -${a}-> ${nextStatus(from, a)}`));
    expect(moves.sort()).toEqual(
      [
        'NotSent -send-> ReadyToExport',
        'Retrieved -send-> ReadyToExport',
        'Rejected -resend-> ReadyToExport',
        'ReadyToExport -accept-> Exporting',
        'ReadyToExport -reject-> Rejected',
        'ReadyToExport -retrieve-> Retrieved',
        'FailedToExport -reject-> Rejected',
        'FailedToExport -retry-export-> Exporting',
      ].sort(),
    );
    expect(nextStatus('Exporting', 'exported')).toBe('Synced');
    expect(nextStatus('Exporting', 'export-failed')).toBe('FailedToExport');
    expect(actionsAvailable('Synced')).toEqual([]);
  });

  test('locks while with accounting or in the ERP, unlocks on reject and retrieve', () => {
    expect(ERP_STATUSES.filter(isLocked)).toEqual(['ReadyToExport', 'Exporting', 'Synced', 'FailedToExport']);
  });
});

describe('permissions', () => {
  const approver: Actor = { id: 'a', name: 'Dana', canPushToAccounting: true, grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'Standard' }] };
  const privilegeOnly: Actor = { ...approver, grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'ReadOnly' }] };
  const pm: Actor = { id: 'p', name: 'Pat', canPushToAccounting: false, grants: [{ scope: 'P-1', tool: 'Commitments', level: 'Admin' }] };

  test('an accounting approver needs both the privilege and Standard or Admin on ERP Integrations', () => {
    expect(isAccountingApprover(approver)).toBe(true);
    expect(isAccountingApprover(privilegeOnly)).toBe(false);
    expect(missingPermissions(privilegeOnly, 'reject', { type: 'cco', projectRef: 'P-1' })).toEqual(["'Standard' or 'Admin' on the company's ERP Integrations tool"]);
  });

  test('a change order needs Admin on both Commitments and Change Orders; the refusal names only what is missing', () => {
    expect(() => assertPermitted(pm, 'send', { type: 'commitment', ref: 'SC-1', projectRef: 'P-1' })).not.toThrow();
    expect(() => assertPermitted(pm, 'send', { type: 'cco', ref: 'CO-1', projectRef: 'P-1' })).toThrow(
      "Pat cannot send commitment change order CO-1: missing 'Admin' on project P-1's Change Orders tool.",
    );
    expect(missingPermissions(pm, 'send', { type: 'commitment', projectRef: 'P-2' })).toHaveLength(1);
  });
});

describe('Sage 300 CRE minimum requirements', () => {
  test('a conforming change order passes', () => {
    expect(sage300cre.check(cco(), settings)).toEqual([]);
  });

  test('every failing field is listed with its reason', () => {
    const violations = sage300cre.check(
      cco({ number: '123456', title: 'x'.repeat(31), status: 'Pending', vendor: { ...vendor, erpVendorId: null }, lines: [{ lineNo: 1, sovLineNo: 1, description: '', amountCents: 1, costCode: 'X', erpCostCode: false }] }),
      settings,
    );
    expect(violations).toEqual([
      { field: 'number', reason: 'ID Number must be 5 characters or less ("123456" has 6).' },
      { field: 'title', reason: 'Title must be 30 characters or less (it has 31).' },
      { field: 'status', reason: "Status must be 'Approved' (it is 'Pending')." },
      { field: 'vendorId', reason: 'Contract Company "Solid Rock Concrete" is not linked to a Sage 300 CRE vendor; ask accounting to link it.' },
      { field: 'lines', reason: 'At least one line item must modify a Schedule of Values line with a Sage 300 CRE cost code.' },
    ]);
  });

  test('the ERP id comes from the change order number only where the company allows it, and stays editable', () => {
    expect(sage300cre.check(cco(), { erpIdFromChangeOrderNumber: false })).toEqual([{ field: 'erpNumber', reason: expect.stringContaining('ID Number is required') }]);
    expect(sage300cre.check(cco({ erpNumber: 'A7' }), { erpIdFromChangeOrderNumber: false })).toEqual([]);
    expect(sage300cre.toPayload(cco({ erpNumber: 'A7' }), settings)).toMatchObject({ id: 'A7' });
    expect(sage300cre.toPayload(cco(), settings)).toMatchObject({ id: '001' });
  });

  test('the description is cut to 1000 characters on export only; several modifications of a line are summed', () => {
    const item = cco({
      description: 'd'.repeat(1500),
      lines: [
        { lineNo: 1, sovLineNo: 2, description: 'a', amountCents: 150_000, costCode: '03-300', erpCostCode: true },
        { lineNo: 2, sovLineNo: 1, description: 'b', amountCents: -2_550, costCode: '05-100', erpCostCode: true },
        { lineNo: 3, sovLineNo: 2, description: 'c', amountCents: 75_025, costCode: '03-300', erpCostCode: true },
      ],
    });
    const payload = sage300cre.toPayload(item, settings);
    expect((payload.scope as string).length).toBe(1000);
    expect(item.description.length).toBe(1500);
    expect(payload.items).toEqual([
      { contractLineItem: 1, costCode: '05-100', description: 'b', amount: '-25.50' },
      { contractLineItem: 2, costCode: '03-300', description: 'a; c', amount: '2250.25' },
    ]);
    expect(payload).toMatchObject({ amount: '2224.75', commitmentDate: '2026-10-01', commitment: 'SBX-1', vendor: 'SRC100' });
  });

  test('a commitment needs a linked vendor and a line with an ERP cost code', () => {
    const commitment: CommitmentItem = {
      type: 'commitment', ref: 'SC-1', projectRef: 'P-1', kind: 'subcontract', number: 'SC-1', title: 'Concrete', description: '', status: 'Approved',
      vendor: null, createdBy: { id: 'u', name: 'Pat' }, createdAt: '2026-10-01T00:00:00Z', parent: null, lines: [],
    };
    expect(sage300cre.check(commitment, settings).map((v) => v.field)).toEqual(['vendorId', 'sovLines']);
  });

  test('the parent must be synced first, and the refusal says which', () => {
    expect(() => assertSendable(sage300cre, cco({ parent: { type: 'commitment', ref: 'SC-1', status: 'ReadyToExport', erpId: null } }), settings)).toThrow(
      "The commitment's ERP data has not yet been synced: commitment SC-1 is Ready to Export.",
    );
  });
});

test('money is exact and readable', () => {
  expect(formatCents(123456)).toBe('1234.56');
  expect(formatCents(-5)).toBe('-0.05');
  expect(formatMoney(123456789)).toBe('$1,234,567.89');
});

test('unknown refs get close suggestions', () => {
  expect(closestRefs('CO-01', ['CO-001', 'CO-010', 'SC-001', 'P-100'])).toEqual(['CO-001', 'CO-010']);
  expect(closestRefs('ZZZZZZZZ', ['CO-001'])).toEqual([]);
});

test('configuration problems are reported one line each', () => {
  let error: unknown;
  try {
    loadConfig({ PORT: 'eighty', ERP_CONNECTOR: 'http', DAILY_SUMMARY_TIME: '25:00', API_TOKEN: 'short' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^PORT: /),
      'API_TOKEN: API_TOKEN must be at least 16 characters',
      'DAILY_SUMMARY_TIME: DAILY_SUMMARY_TIME must be HH:MM (24-hour)',
      'ERP_HTTP_URL: ERP_HTTP_URL is required when ERP_CONNECTOR=http',
      'ERP_HTTP_SECRET: ERP_HTTP_SECRET is required when ERP_CONNECTOR=http',
    ]),
  );
  expect(loadConfig({}).TEMPORAL_TASK_QUEUE).toBe('erp-approvals');
});
