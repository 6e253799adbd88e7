/**
 * The domain's tables and small rules, pinned one by one: the words and codes people and API clients
 * read, which field is locked when, who may do what, what goes to the ERP.
 */
import { alreadyInReview, availability, selfApprovalRefusal, stillBeingSent, unsupported } from '../domain/actions';
import { assertUniqueLineNumbers, assertUnlocked, changeOrderLineValues, createdAtOf, sovLineValues, sum } from '../domain/edits';
import { assertSendable, erpProfile, parentProblem, sage300cre, type ErpProfile, type ErpSettings } from '../domain/erp-profiles';
import * as errors from '../domain/errors';
import {
  approvalWorkflowId,
  exportIdempotencyKey,
  isItemType,
  ITEM_TYPE_INFO,
  ITEM_TYPES,
  itemName,
  type ItemType,
} from '../domain/item-types';
import { calendarDate, closestRefs, formatCents, formatMoney, parseAmount, totalCents, type ChangeOrderItem } from '../domain/items';
import {
  assertPermitted,
  describeRequirement,
  isAccountingApprover,
  missingPermissions,
  requirementsFor,
  type Actor,
} from '../domain/permissions';
import { canonicalJson, reviewChanges, reviewFacts } from '../domain/review';
import {
  ACTION_PAST,
  canApply,
  ERP_STATUSES,
  isInReview,
  isLocked,
  isTransition,
  ITEM_ACTIONS,
  nextStatus,
  SEND_ACTIONS,
  statusLabel,
  TRANSITIONS,
  type ErpStatus,
} from '../domain/statuses';
import { REASON_MAX, reasonProblem, storableText, UNSTORABLE_TEXT } from '../domain/text';
import { ccoItem, commitmentItem, PAT, projectItem, VENDOR } from './support/items';

const pat = PAT;
const vendor = VENDOR;
const project = projectItem;
const commitment = commitmentItem;

/** Three lines on two schedule-of-values lines, under a commitment that is SBX-2 in the ERP. */
function cco(overrides: Partial<ChangeOrderItem> = {}): ChangeOrderItem {
  return ccoItem({
    createdBy: pat,
    parent: { type: 'commitment', ref: 'SC-1', status: 'Synced', erpId: 'SBX-2' },
    lines: [
      {
        lineNo: 1,
        sovLineNo: 2,
        description: 'Rebar',
        amountCents: 300,
        costCode: '03-310',
        category: 'S',
        erpCostCode: true,
        costCodeProblem: null,
      },
      {
        lineNo: 2,
        sovLineNo: 1,
        description: 'Ties',
        amountCents: 50,
        costCode: '03-300',
        category: 'S',
        erpCostCode: true,
        costCodeProblem: null,
      },
      {
        lineNo: 3,
        sovLineNo: 2,
        description: 'Chairs',
        amountCents: 25,
        costCode: '03-310',
        category: 'S',
        erpCostCode: true,
        costCodeProblem: null,
      },
    ],
    ...overrides,
  });
}

function actor(overrides: Partial<Actor> = {}): Actor {
  return { id: 'u-dana', name: 'Dana', canPushToAccounting: false, grants: [], ...overrides };
}

/** The locked fields of each type, by the names Procore gives them (seeds 000–003). */
const LOCKED: Record<ItemType, Record<string, string>> = {
  project: { name: 'Name', number: 'Project Number', createdAt: 'Created Date' },
  commitment: {
    project: 'Project',
    vendorId: 'Contract Company',
    kind: 'Commitment Type',
    number: 'Contract #',
    title: 'Title',
    description: 'Description',
    status: 'Status',
    totalAmount: 'Total Amount',
    sovLines: 'Schedule of Values lines',
    createdAt: 'Created Date',
  },
  cco: {
    commitment: 'Contract Company (its commitment)',
    number: 'ID Number',
    erpNumber: 'ERP ID',
    title: 'Title',
    description: 'Description',
    status: 'Status',
    totalAmount: 'Total Amount',
    lines: 'Line items',
    createdAt: 'Created Date',
  },
};

describe('the item types', () => {
  test('name items, their workflows and their export keys', () => {
    expect(ITEM_TYPES.map((type) => itemName(type, 'X-1'))).toEqual(['project X-1', 'commitment X-1', 'commitment change order X-1']);
    expect(ITEM_TYPES.map((type) => ITEM_TYPE_INFO[type].type)).toEqual([...ITEM_TYPES]);
    expect(ITEM_TYPES.map((type) => ITEM_TYPE_INFO[type].parent)).toEqual([null, 'project', 'commitment']);
    expect(approvalWorkflowId('cco', 'CO-7')).toBe('erp:cco:CO-7');
    expect(exportIdempotencyKey('commitment', 'SC-1', 3)).toBe('erp:commitment:SC-1#3');
    expect(['project', 'commitment', 'cco', 'Project', 'co', ''].map(isItemType)).toEqual([true, true, true, false, false, false]);
  });

  test('lock the fields Procore locks, in its words', () => {
    for (const type of ITEM_TYPES) {
      expect(Object.fromEntries(ITEM_TYPE_INFO[type].lockedFields.map((f) => [f.field, f.label]))).toEqual(LOCKED[type]);
    }
  });
});

describe('an edit of an item with accounting', () => {
  const locked = ERP_STATUSES.filter(isLocked);

  test('is refused for each locked field, in every locked status (a failed export included), naming it', () => {
    expect([...locked].sort()).toEqual(['Exporting', 'FailedToExport', 'ReadyToExport', 'Synced']);
    for (const type of ITEM_TYPES) {
      for (const [field, label] of Object.entries(LOCKED[type])) {
        for (const status of locked) {
          let refusal: unknown;
          try {
            assertUnlocked(type, 'R-1', status, { [field]: 'before' }, { [field]: 'after' });
          } catch (err) {
            refusal = err;
          }
          expect(refusal).toBeInstanceOf(errors.ItemLocked);
          const { message, fields } = refusal as errors.ItemLocked;
          expect(fields).toEqual([field]);
          expect(message).toBe(
            `${ITEM_TYPE_INFO[type].label} R-1 is ${status === 'FailedToExport' ? 'Failed to Export' : status === 'ReadyToExport' ? 'Ready to Export' : status}: ` +
              `${label} cannot be edited until accounting rejects it or it is retrieved.`,
          );
          expect((refusal as errors.ItemLocked).details()).toEqual({ fields: [field], status });
        }
      }
    }
  });

  test('passes when nothing locked changes, or when the item is not with accounting', () => {
    const unlocked = ERP_STATUSES.filter((status) => !isLocked(status));
    expect(unlocked).toEqual(['NotSent', 'Rejected', 'Retrieved', 'Voided']);
    for (const status of unlocked) expect(() => assertUnlocked('cco', 'CO-1', status, { title: 'a' }, { title: 'b' })).not.toThrow();
    expect(() => assertUnlocked('cco', 'CO-1', 'Synced', { title: 'a', url: 'x' }, { title: 'a', url: 'y' })).not.toThrow();
    // A field the source did not send is not an edit.
    expect(() => assertUnlocked('cco', 'CO-1', 'Synced', { title: 'a' }, {})).not.toThrow();
  });

  test('names each line that moved, was added or was removed, under an unchanged total', () => {
    const line = (lineNo: number, amount: bigint, costCode = '03-300') => ({
      lineNo,
      description: 'Footings',
      costCode,
      category: 'S',
      amountCents: amount,
    });
    const before = [line(1, 100n), line(2, 200n), line(4, 50n)];
    const after = [line(1, 100n), line(2, 150n, '03-310'), line(3, 100n)];
    expect(sum(before)).toBe(350);
    expect(sum(after)).toBe(350);
    expect(() =>
      assertUnlocked('commitment', 'SC-1', 'FailedToExport', { sovLines: sovLineValues(before) }, { sovLines: sovLineValues(after) }),
    ).toThrow(
      'commitment SC-1 is Failed to Export: Schedule of Values lines (line 2 changed, line 3 added, line 4 removed) cannot be edited',
    );
    const cline = (lineNo: number, sovLineNo: number) => ({ lineNo, sovLineNo, description: 'Rebar', amountCents: 100n });
    expect(() =>
      assertUnlocked(
        'cco',
        'CO-1',
        'Synced',
        { lines: changeOrderLineValues([cline(1, 1)]) },
        { lines: changeOrderLineValues([cline(1, 2)]) },
      ),
    ).toThrow('Line items (line 1 changed)');
    expect(() =>
      assertUnlocked(
        'cco',
        'CO-1',
        'Synced',
        { lines: changeOrderLineValues([cline(1, 1)]) },
        { lines: changeOrderLineValues([cline(1, 1)]) },
      ),
    ).not.toThrow();
  });

  test('lists every locked field it would change, in the table order', () => {
    expect(() => assertUnlocked('project', 'P-1', 'ReadyToExport', { name: 'a', number: '1' }, { name: 'b', number: '2' })).toThrow(
      'project P-1 is Ready to Export: Name, Project Number cannot be edited',
    );
  });

  test('keeps the first creation date, and refuses a line number used twice', () => {
    expect(createdAtOf(new Date('2026-10-01T12:00:00Z'), undefined)).toBe('2026-10-01T12:00:00.000Z');
    expect(createdAtOf(new Date('2026-10-01T12:00:00Z'), '2026-10-02T08:00:00+02:00')).toBe('2026-10-02T06:00:00.000Z');
    expect(() => assertUniqueLineNumbers([{ lineNo: 1 }, { lineNo: 2 }], 'lines')).not.toThrow();
    let refusal: unknown;
    try {
      assertUniqueLineNumbers([{ lineNo: 1 }, { lineNo: 2 }, { lineNo: 1 }], 'sovLines');
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(errors.InvalidItem);
    expect((refusal as errors.InvalidItem).message).toBe('sovLines.2.lineNo: line number 1 is used twice; line numbers must be unique.');
    expect((refusal as errors.InvalidItem).details()).toEqual({ field: 'sovLines.2.lineNo' });
  });
});

describe('the refusals', () => {
  test('carry the stable codes API clients switch on, and their facts', () => {
    const samples: [errors.DomainError, string, Record<string, unknown>][] = [
      [new errors.PermissionDenied('m', ['x']), 'permission_denied', { missing: ['x'] }],
      [new errors.SeparationOfDuties('m'), 'separation_of_duties', {}],
      [new errors.ItemLocked('m', ['title'], 'Synced'), 'item_locked', { fields: ['title'], status: 'Synced' }],
      [new errors.NotAwaitingDecision('m', 'Rejected'), 'not_awaiting_decision', { status: 'Rejected' }],
      [
        new errors.RequirementsNotMet('m', [{ field: 'f', reason: 'r' }]),
        'requirements_not_met',
        { violations: [{ field: 'f', reason: 'r' }] },
      ],
      [
        new errors.ParentNotSynced('m', { type: 'project', ref: 'P-1', status: 'NotSent' }),
        'parent_not_synced',
        { parent: { type: 'project', ref: 'P-1', status: 'NotSent' } },
      ],
      [new errors.AlreadyInReview('m'), 'already_in_review', {}],
      [new errors.UnknownItem('m', ['CO-1']), 'unknown_item', { suggestions: ['CO-1'] }],
      [new errors.UnknownItem('m'), 'unknown_item', { suggestions: [] }],
      [new errors.UnknownUser('m'), 'unknown_user', {}],
      [new errors.UnknownReference('m', 'vendorId'), 'unknown_reference', { field: 'vendorId' }],
      [new errors.AlreadyTaken('m', 'email'), 'already_taken', { field: 'email' }],
      [new errors.InvalidItem('m', 'lines'), 'invalid_item', { field: 'lines' }],
      [new errors.NotSupported('m'), 'not_supported', {}],
      [new errors.InvalidRequest('m'), 'invalid_request', {}],
      [new errors.ExportUnresolved('m'), 'export_unresolved', {}],
      [new errors.RoundNotRunning('m'), 'round_not_running', {}],
    ];
    for (const [error, code, details] of samples) {
      expect([error.code, error.details(), error.message]).toEqual([code, details, 'm']);
    }
  });

  test('say what is already in review, still being sent, or not done for a type', () => {
    expect(alreadyInReview('cco', 'CO-1').message).toBe('commitment change order CO-1 is already in review with accounting.');
    expect(alreadyInReview('cco', 'CO-1', 'FailedToExport').message).toBe(
      'commitment change order CO-1 is already in review with accounting (Failed to Export).',
    );
    const sending = stillBeingSent('commitment', 'SC-1', 'NotSent');
    expect([sending.message, sending.status]).toEqual(['commitment SC-1 is still being sent; try again in a moment.', 'NotSent']);
    expect(unsupported('void', project(), sage300cre)?.message).toBe('A project cannot be voided.');
    expect(unsupported('void', cco(), sage300cre)).toBeNull();
    const jobsOnly: ErpProfile = { ...sage300cre, name: 'Jobs Only', supports: { project: ['send'] } };
    expect(unsupported('send', project(), jobsOnly)).toBeNull();
    expect(unsupported('resend', project(), jobsOnly)?.message).toBe('Jobs Only does not support "resend" for a project.');
    expect(unsupported('send', cco(), jobsOnly)?.message).toBe('Jobs Only does not support "send" for a commitment change order.');
  });

  test('keep the sender of a round from deciding it, in words for each decision', () => {
    const dana = { id: 'u-dana', name: 'Dana' };
    const what = 'commitment change order CO-1';
    expect(selfApprovalRefusal('accept', dana, dana, false, what)?.message).toBe(
      'Dana sent commitment change order CO-1 for this round, so cannot also accept it: another accounting approver must decide (separation of duties).',
    );
    expect(selfApprovalRefusal('reject', dana, dana, false, what)?.message).toContain('so cannot also reject it:');
    expect(selfApprovalRefusal('retry-export', dana, dana, false, what)?.message).toContain('so cannot also retry its export:');
    expect(selfApprovalRefusal('accept', dana, dana, true, what)).toBeNull();
    expect(selfApprovalRefusal('accept', dana, pat, false, what)).toBeNull();
    expect(selfApprovalRefusal('accept', dana, null, false, what)).toBeNull();
    expect(selfApprovalRefusal('retrieve', dana, dana, false, what)).toBeNull();
  });
});

describe('what can be done with an item', () => {
  const rules = { profile: sage300cre, settings: { erpIdFromChangeOrderNumber: true }, allowSelfApproval: false };
  const reasons = (result: ReturnType<typeof availability>, action: string) => result.unavailable.find((u) => u.action === action)?.reasons;

  test('a change order whose commitment is not in the ERP cannot be sent, and says so before the ERP rules', () => {
    const item = cco({ parent: { type: 'commitment', ref: 'SC-1', status: 'ReadyToExport', erpId: null }, title: '' });
    const result = availability({ item, status: 'NotSent', ...rules });
    expect(result.availableActions).toEqual([]);
    expect(reasons(result, 'send')).toEqual([
      "The commitment's ERP data has not yet been synced: commitment SC-1 is Ready to Export. Send SC-1 to Sage 300 CRE and have it accepted first.",
    ]);
    expect(reasons(result, 'resend')).toEqual(['commitment change order CO-1 is Not Sent, so it cannot be re-sent.']);
  });

  test("a sendable change order lists the ERP's rules it breaks, and the permissions a person lacks", () => {
    const item = cco({ title: '' });
    const dana = actor({ grants: [{ scope: 'project:P-1', tool: 'Commitments', level: 'Admin' }] });
    const result = availability({ item, status: 'NotSent', ...rules, actor: dana });
    expect(reasons(result, 'send')).toEqual(['Title is required.', "Dana is missing 'Admin' on project P-1's Change Orders tool."]);
    const ready = availability({ item: cco(), status: 'NotSent', ...rules, actor: dana });
    expect(reasons(ready, 'send')).toEqual(["Dana is missing 'Admin' on project P-1's Change Orders tool."]);
    const allowed = availability({ item: cco(), status: 'NotSent', ...rules });
    expect(allowed.availableActions).toEqual(['send']);
    expect(allowed.unavailable.map((u) => u.action)).toEqual(ITEM_ACTIONS.filter((a) => a !== 'send'));
  });

  test("a project is never voided, and a decision names both of an approver's missing permissions", () => {
    const result = availability({ item: project(), status: 'Rejected', ...rules, actor: actor() });
    expect(reasons(result, 'void')).toEqual(['A project cannot be voided.', "Dana is missing 'Admin' on project P-1's Admin tool."]);
    expect(reasons(availability({ item: project(), status: 'ReadyToExport', ...rules, actor: actor() }), 'accept')).toEqual([
      "Dana is missing the 'Can Push to Accounting' privilege and 'Standard' or 'Admin' on the company's ERP Integrations tool.",
    ]);
  });
});

describe('permissions', () => {
  const approver = (scope: string) => actor({ canPushToAccounting: true, grants: [{ scope, tool: 'ErpIntegrations', level: 'Standard' }] });

  test('an accounting approver holds the ERP Integrations tool for the whole company, not one project', () => {
    expect(isAccountingApprover(approver('company'))).toBe(true);
    expect(isAccountingApprover(approver('project:P-1'))).toBe(false);
    expect(isAccountingApprover({ ...approver('company'), canPushToAccounting: false })).toBe(false);
    expect(missingPermissions(approver('project:P-1'), 'accept', { type: 'cco', projectRef: 'P-1' })).toEqual([
      "'Standard' or 'Admin' on the company's ERP Integrations tool",
    ]);
  });

  test("creators need their type's tool as Admin on the project (or the company); change orders also Change Orders to send", () => {
    expect(requirementsFor('send', 'cco')).toEqual([
      { kind: 'tool', tool: 'Commitments', scope: 'project', levels: ['Admin'] },
      { kind: 'tool', tool: 'ChangeOrders', scope: 'project', levels: ['Admin'] },
    ]);
    expect(requirementsFor('resend', 'cco')).toEqual([{ kind: 'tool', tool: 'Commitments', scope: 'project', levels: ['Admin'] }]);
    expect(requirementsFor('send', 'project')).toEqual([{ kind: 'tool', tool: 'Admin', scope: 'project', levels: ['Admin'] }]);
    expect(requirementsFor('retrieve', 'commitment')).toEqual([{ kind: 'tool', tool: 'Commitments', scope: 'project', levels: ['Admin'] }]);
    expect(describeRequirement({ kind: 'privilege', name: 'Can Push to Accounting' }, 'P-1')).toBe(
      "the 'Can Push to Accounting' privilege",
    );
    const companyWide = actor({ grants: [{ scope: 'company', tool: 'Commitments', level: 'Admin' }] });
    expect(missingPermissions(companyWide, 'resend', { type: 'cco', projectRef: 'P-9' })).toEqual([]);
    const standard = actor({ grants: [{ scope: 'project:P-9', tool: 'Commitments', level: 'Standard' }] });
    expect(missingPermissions(standard, 'resend', { type: 'cco', projectRef: 'P-9' })).toEqual([
      "'Admin' on project P-9's Commitments tool",
    ]);
  });
});

describe('statuses', () => {
  test('a round is open while the item is Ready to Export, Exporting or Failed to Export', () => {
    expect(ERP_STATUSES.filter(isInReview)).toEqual(['ReadyToExport', 'Exporting', 'FailedToExport']);
  });
});

describe('money and refs', () => {
  test('amounts are whole cents, shown with signs and thousands', () => {
    expect([parseAmount('1250.5'), parseAmount(12.34), parseAmount('-0.01')]).toEqual([125_050, 1234, -1]);
    expect([formatCents(-5), formatCents(0), formatCents(125_050)]).toEqual(['-0.05', '0.00', '1250.50']);
    expect([formatMoney(-123_456_789), formatMoney(0), formatMoney(99)]).toEqual(['-$1,234,567.89', '$0.00', '$0.99']);
    expect(totalCents(project())).toBeNull();
    expect(totalCents(commitment())).toBe(125_150);
  });

  test('the closest refs come nearest first, then in order, and only near ones', () => {
    expect(closestRefs('CO-7', ['CO-77x', 'CO-8', 'XYZ-123', 'CO-17'])).toEqual(['CO-17', 'CO-8', 'CO-77x']);
    expect(closestRefs('CO-7', ['CO-77x', 'CO-8', 'CO-17'], 1)).toEqual(['CO-17']);
    expect(closestRefs('commitment-1', ['commitment-12', 'cmt-1'])).toEqual(['commitment-12']);
    expect(closestRefs('kitchen', ['Kitchen remodel', 'Garage'])).toEqual(['Kitchen remodel']);
    expect(closestRefs('ab', ['abcd', 'xyzw'])).toEqual(['abcd']);
    expect(closestRefs('', [])).toEqual([]);
  });

  test("a calendar day is the company's", () => {
    expect(calendarDate('2026-10-01T23:30:00.000Z', 'America/Los_Angeles')).toBe('2026-10-01');
    expect(calendarDate('2026-10-01T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-02');
  });
});

describe('the Sage 300 CRE profile', () => {
  const settings = { erpIdFromChangeOrderNumber: true, timeZone: 'Europe/Berlin' };

  test('is found by its id, and an unknown one is refused with the known ones', () => {
    expect(erpProfile('sage300cre')).toBe(sage300cre);
    expect(() => erpProfile('quickbooks')).toThrow('Unknown ERP profile "quickbooks" (known: sage300cre)');
  });

  test('exports a project as a job', () => {
    expect(sage300cre.toPayload(project(), settings)).toEqual({
      erp: 'sage300cre',
      record: 'job',
      ref: 'P-1',
      job: 'J-100',
      description: 'Riverside Clinic',
    });
    expect(sage300cre.toPayload(project({ number: null }), settings)).toMatchObject({ job: '' });
  });

  test('exports a commitment as a subcontract or purchase order with its lines, dated in the company time zone', () => {
    expect(sage300cre.toPayload(commitment(), settings)).toEqual({
      erp: 'sage300cre',
      record: 'subcontract',
      ref: 'SC-1',
      job: 'SBX-1',
      commitment: 'SC-001',
      description: 'Concrete',
      scope: 'Foundations',
      vendor: 'SRC100',
      commitmentDate: '2026-10-02',
      amount: '1251.50',
      items: [
        { item: 1, costCode: '03-300', category: 'S', description: 'Footings', amount: '1250.50' },
        { item: 2, costCode: '03-310', category: 'S', description: 'Slab', amount: '1.00' },
      ],
    });
    const order = sage300cre.toPayload(
      commitment({ kind: 'purchase_order', parent: null, vendor: null, description: 'x'.repeat(1200), lines: [] }),
      { erpIdFromChangeOrderNumber: true },
    );
    expect(order).toMatchObject({
      record: 'purchase_order',
      job: null,
      vendor: null,
      commitmentDate: '2026-10-01',
      amount: '0.00',
      items: [],
    });
    expect((order as { scope: string }).scope).toHaveLength(1000);
  });

  test('exports a change order with one modification per schedule-of-values line, summed', () => {
    expect(sage300cre.toPayload(cco(), settings)).toEqual({
      erp: 'sage300cre',
      record: 'commitment_change_order',
      ref: 'CO-1',
      commitment: 'SBX-2',
      id: '001',
      description: 'Extra rebar',
      scope: 'Adds rebar',
      vendor: 'SRC100',
      commitmentDate: '2026-10-01',
      amount: '3.75',
      items: [
        { contractLineItem: 1, costCode: '03-300', description: 'Ties', amount: '0.50' },
        { contractLineItem: 2, costCode: '03-310', description: 'Rebar; Chairs', amount: '3.25' },
      ],
    });
    expect(sage300cre.toPayload(cco({ erpNumber: ' 7A ', parent: null, vendor: null }), settings)).toMatchObject({
      id: '7A',
      commitment: null,
      vendor: null,
    });
    expect(sage300cre.toPayload(cco(), { erpIdFromChangeOrderNumber: false })).toMatchObject({ id: null });
  });

  test('refuses a change order whose ID Number is too long, or held by another change order of the commitment in any case', () => {
    const check = (item: ChangeOrderItem, s: ErpSettings = settings) => sage300cre.check(item, s);
    expect(check(cco({ number: '123456' }))).toEqual([
      { field: 'number', reason: 'ID Number must be 5 characters or less ("123456" has 6).' },
    ]);
    expect(check(cco({ erpNumber: '12345 ' }))).toEqual([]);
    expect(check(cco({ erpNumber: ' 123456 ' }))).toEqual([
      { field: 'erpNumber', reason: 'ID Number must be 5 characters or less ("123456" has 6).' },
    ]);
    expect(check(cco({ number: 'A1', erpNumber: null }), { erpIdFromChangeOrderNumber: false })).toEqual([
      { field: 'erpNumber', reason: 'ID Number is required (the company does not fill it from the change order number).' },
    ]);
    const sibling = { ref: 'CO-2', number: '009', erpNumber: 'a1', status: 'Synced' as ErpStatus, mayBeInErp: false };
    expect(check(cco({ erpNumber: 'A1', siblings: [sibling] }))).toEqual([
      { field: 'erpNumber', reason: 'ID Number A1 is already used on commitment SC-1 by change order CO-2 (Synced).' },
    ]);
    expect(check(cco({ number: 'a1', siblings: [sibling] }))).toEqual([
      { field: 'number', reason: 'ID Number a1 is already used on commitment SC-1 by change order CO-2 (Synced).' },
    ]);
    expect(check(cco({ erpNumber: 'A1', siblings: [{ ...sibling, status: 'Rejected' }] }))).toEqual([]);
    expect(check(cco({ erpNumber: 'A1', siblings: [{ ...sibling, erpNumber: null, number: 'A10' }] }))).toEqual([]);
    expect(check(cco({ erpNumber: 'A1', siblings: [{ ...sibling, erpNumber: null }] }), { erpIdFromChangeOrderNumber: false })).toEqual([]);
  });

  test('refuses a change order with no line on an ERP cost code, or without its contract company', () => {
    const unlinked = cco().lines.map((line) => ({ ...line, erpCostCode: false, costCodeProblem: 'has no cost code' }));
    const [violation] = sage300cre.check(cco({ lines: [unlinked[0]!, { ...cco().lines[1]!, erpCostCode: true }] }), settings);
    expect(violation).toBeUndefined();
    expect(sage300cre.check(cco({ lines: unlinked }), settings).map((v) => v.field)).toEqual(['lines']);
    expect(sage300cre.check(cco({ vendor: null }), settings)).toEqual([
      { field: 'vendorId', reason: 'Contract Company is missing; pick the company the contract is with.' },
    ]);
  });

  test('sends a parent first, then its own rules, all in one sentence', () => {
    expect(parentProblem(sage300cre, project())).toBeNull();
    expect(parentProblem(sage300cre, cco())).toBeNull();
    const waiting = cco({ parent: { type: 'commitment', ref: 'SC-1', status: 'Rejected', erpId: null } });
    expect(() => assertSendable(sage300cre, waiting, settings)).toThrow(errors.ParentNotSynced);
    expect(() => assertSendable(sage300cre, cco(), settings)).not.toThrow();
    let refusal: unknown;
    try {
      assertSendable(sage300cre, cco({ title: '', vendor: null }), settings);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(errors.RequirementsNotMet);
    expect((refusal as Error).message).toBe(
      'Commitment change order CO-1 does not meet the Sage 300 CRE minimum requirements: Title is required. ' +
        'Contract Company is missing; pick the company the contract is with.',
    );
  });
});

describe('the words of statuses and moves', () => {
  test('each status and each move has the words the history and Slack show', () => {
    expect(ERP_STATUSES.map(statusLabel)).toEqual([
      'Not Sent',
      'Ready to Export',
      'Exporting',
      'Synced',
      'Failed to Export',
      'Rejected',
      'Retrieved',
      'Voided',
    ]);
    expect(TRANSITIONS).toEqual([...ITEM_ACTIONS, 'exported', 'export-failed', 'release', 'approve', 'escalate']);
    expect(TRANSITIONS.map((t) => ACTION_PAST[t])).toEqual([
      'sent',
      're-sent',
      'retrieved',
      'accepted',
      'rejected',
      'sent for another export attempt',
      'voided',
      'exported',
      'failed to export',
      'released by an operator',
      'approved at its step',
      'escalated',
    ]);
    expect(SEND_ACTIONS).toEqual(['send', 'resend']);
    expect(['release', 'exported', 'accept', 'accepted', 'released by an operator', ''].map(isTransition)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test('an operator releases only an item whose round is open, back to its creator', () => {
    expect(ERP_STATUSES.filter((status) => canApply(status, 'release'))).toEqual(['ReadyToExport', 'Exporting', 'FailedToExport']);
    expect(nextStatus('Exporting', 'release')).toBe('Retrieved');
    expect(nextStatus('Synced', 'release')).toBeUndefined();
  });

  test('a refused permission names the action in words', () => {
    const nobody = actor();
    const refusal = (action: (typeof ITEM_ACTIONS)[number]) => {
      try {
        assertPermitted(nobody, action, { type: 'cco', ref: 'CO-1', projectRef: 'P-1' });
      } catch (err) {
        return (err as Error).message.split(':')[0];
      }
      return undefined;
    };
    expect(ITEM_ACTIONS.map(refusal)).toEqual([
      'Dana cannot send commitment change order CO-1',
      'Dana cannot re-send commitment change order CO-1',
      'Dana cannot retrieve commitment change order CO-1',
      'Dana cannot accept commitment change order CO-1',
      'Dana cannot reject commitment change order CO-1',
      'Dana cannot retry the export of commitment change order CO-1',
      'Dana cannot void commitment change order CO-1',
    ]);
    let denied: unknown;
    try {
      assertPermitted(nobody, 'accept', { type: 'cco', ref: 'CO-1', projectRef: 'P-1' });
    } catch (err) {
      denied = err;
    }
    expect((denied as errors.PermissionDenied).message).toBe(
      "Dana cannot accept commitment change order CO-1: missing the 'Can Push to Accounting' privilege and " +
        "'Standard' or 'Admin' on the company's ERP Integrations tool.",
    );
    const admin = actor({ canPushToAccounting: true, grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'Admin' }] });
    expect(isAccountingApprover(admin)).toBe(true);
    const readOnly = actor({ canPushToAccounting: true, grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'ReadOnly' }] });
    expect(isAccountingApprover(readOnly)).toBe(false);
  });
});

describe('what the approvers review', () => {
  test('each type is described by the facts a reviewer reads', () => {
    expect(reviewFacts(project())).toEqual({
      type: 'project',
      ref: 'P-1',
      projectRef: 'P-1',
      title: 'Riverside Clinic',
      creator: pat,
      createdAt: '2026-10-01T12:00:00.000Z',
      totalCents: null,
      number: 'J-100',
      description: null,
      vendor: null,
      lines: [],
    });
    expect(reviewFacts(commitment({ vendor: null }))).toMatchObject({
      type: 'commitment',
      number: 'SC-001',
      description: 'Foundations',
      vendor: null,
      totalCents: 125_150,
      lines: [
        { lineNo: 1, description: 'Footings', sovLineNo: null, costCode: '03-300', category: 'S', amountCents: 125_050 },
        { lineNo: 2, description: 'Slab', sovLineNo: null, costCode: '03-310', category: 'S', amountCents: 100 },
      ],
    });
    expect(reviewFacts(cco({ erpNumber: 'A7' }))).toMatchObject({ number: '001 (ERP ID A7)', vendor: 'Solid Rock Concrete' });
    expect(reviewFacts(cco({ vendor: null }))).toMatchObject({ number: '001', vendor: null });
  });

  test('a re-send shows every changed field and line, old and new, lines in number order', () => {
    const before = reviewFacts(cco());
    const after = reviewFacts(
      cco({
        erpNumber: 'A7',
        vendor: { ...vendor, name: 'Hard Rock' },
        description: 'Adds more rebar',
        lines: [
          { ...cco().lines[2]!, lineNo: 10, costCode: null, category: null, description: '' },
          { ...cco().lines[0]!, amountCents: 400 },
        ],
      }),
    );
    expect(reviewChanges(before, after)).toEqual([
      { field: 'number', label: 'Number', from: '001', to: '001 (ERP ID A7)' },
      { field: 'vendor', label: 'Contract Company', from: 'Solid Rock Concrete', to: 'Hard Rock' },
      { field: 'description', label: 'Description', from: 'Adds rebar', to: 'Adds more rebar' },
      { field: 'totalAmount', label: 'Total Amount', from: '$3.75', to: '$4.25' },
      { field: 'lines.1', label: 'Line 1', from: 'SOV 2 · Rebar · 03-310/S · $3.00', to: 'SOV 2 · Rebar · 03-310/S · $4.00' },
      { field: 'lines.2', label: 'Line 2', from: 'SOV 1 · Ties · 03-300/S · $0.50', to: null },
      { field: 'lines.3', label: 'Line 3', from: 'SOV 2 · Chairs · 03-310/S · $0.25', to: null },
      { field: 'lines.10', label: 'Line 10', from: null, to: 'SOV 2 · (no description) · $0.25' },
    ]);
    const commitmentLines = reviewChanges(
      reviewFacts(commitment()),
      reviewFacts(commitment({ lines: [{ ...commitment().lines[0]!, category: null }] })),
    );
    expect(commitmentLines).toEqual([
      { field: 'totalAmount', label: 'Total Amount', from: '$1,251.50', to: '$1,250.50' },
      { field: 'lines.1', label: 'Line 1', from: 'Footings · 03-300/S · $1,250.50', to: 'Footings · 03-300 · $1,250.50' },
      { field: 'lines.2', label: 'Line 2', from: 'Slab · 03-310/S · $1.00', to: null },
    ]);
    expect(reviewChanges(reviewFacts(project()), reviewFacts(project({ title: 'Riverside' })))).toEqual([
      { field: 'title', label: 'Title', from: 'Riverside Clinic', to: 'Riverside' },
    ]);
  });

  test('the snapshot is canonical JSON: keys sorted at every level, arrays kept in order, nulls kept', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":"x","z":null}]},"b":1}');
    expect(canonicalJson('text')).toBe('"text"');
  });
});

describe('text from outside', () => {
  test('an ERP answer is made storable, and a reason is held to its limit', () => {
    expect(storableText('a\u0000b\ud800c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('fine 😀')).toBe('fine 😀');
    expect(UNSTORABLE_TEXT).toBe('must not contain NUL characters or unpaired surrogates');
    expect(reasonProblem('x'.repeat(REASON_MAX))).toBeUndefined();
    expect(reasonProblem('x'.repeat(REASON_MAX + 1))).toBe(`Keep the reason to ${REASON_MAX} characters (it has ${REASON_MAX + 1}).`);
  });
});
