import { assertSendable, sage300cre } from '../domain/erp-profiles';
import { actionsAllowed, availability, decisionInFlight, wrongState } from '../domain/actions';
import * as errors from '../domain/errors';
import { domainErrorFrom, REBUILT_ERRORS, toApplicationFailure } from '../workflows/failures';
import { REASON_REQUIRED, reasonProblem } from '../domain/text';
import { calendarDate, costCodeProblem, formatCents, formatMoney, closestRefs, type CommitmentItem } from '../domain/items';
import { assertPermitted, isAccountingApprover, missingPermissions, projectScope, type Actor } from '../domain/permissions';
import { canonicalJson, reviewChanges, reviewFacts } from '../domain/review';
import { canApply, ERP_STATUSES, isLocked, moveOf, nextStatus, ITEM_ACTIONS, type ErpStatus } from '../domain/statuses';
import { ConfigError, loadConfig } from '../runtime/config';
import { isDatabaseUnavailable } from '../store/prisma';
import { displayUrl } from '../store/database';
import { AlreadyInReview, DomainError, NotAwaitingDecision, PermissionDenied, RoundNotRunning, UnknownReference } from '../domain/errors';
import { ApplicationFailure } from '@temporalio/common';
import { ccoItem, projectItem, VENDOR } from './support/items';

const settings = { erpIdFromChangeOrderNumber: true };
const vendor = VENDOR;

const cco = ccoItem;

describe('the ERP status machine', () => {
  test('follows the specified moves and nothing else', () => {
    const moves = ERP_STATUSES.flatMap((from) =>
      ITEM_ACTIONS.filter((a) => canApply(from, a)).map((a) => `${from} -${a}-> ${nextStatus(from, a)}`),
    );
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
        'Rejected -void-> Voided',
      ].sort(),
    );
    expect(nextStatus('Exporting', 'exported')).toBe('Synced');
    expect(nextStatus('Exporting', 'export-failed')).toBe('FailedToExport');
    // The store's one-statement move checks the same table.
    expect(moveOf('reject')).toEqual({ from: ['ReadyToExport', 'FailedToExport'], to: 'Rejected' });
    expect(actionsAllowed('cco', 'Synced')).toEqual([]);
    expect(actionsAllowed('cco', 'Rejected')).toEqual(['resend', 'void']);
    // A project is never voided, so a rejected one offers only the re-send.
    expect(actionsAllowed('project', 'Rejected')).toEqual(['resend']);
  });

  test('locks while with accounting or in the ERP, unlocks on reject and retrieve', () => {
    expect(ERP_STATUSES.filter(isLocked)).toEqual(['ReadyToExport', 'Exporting', 'Synced', 'FailedToExport']);
  });
});

describe('permissions', () => {
  const approver: Actor = {
    id: 'a',
    name: 'Dana',
    canPushToAccounting: true,
    grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'Standard' }],
  };
  const privilegeOnly: Actor = { ...approver, grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'ReadOnly' }] };
  const pm: Actor = {
    id: 'p',
    name: 'Pat',
    canPushToAccounting: false,
    grants: [{ scope: 'project:P-1', tool: 'Commitments', level: 'Admin' }],
  };

  test('an accounting approver needs both the privilege and Standard or Admin on ERP Integrations', () => {
    expect(isAccountingApprover(approver)).toBe(true);
    expect(isAccountingApprover(privilegeOnly)).toBe(false);
    expect(missingPermissions(privilegeOnly, 'reject', { type: 'cco', projectRef: 'P-1' })).toEqual([
      "'Standard' or 'Admin' on the company's ERP Integrations tool",
    ]);
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
      cco({
        number: '123456',
        title: 'x'.repeat(31),
        status: 'Pending',
        vendor: { ...vendor, erpVendorId: null },
        lines: [
          {
            lineNo: 1,
            sovLineNo: 1,
            description: '',
            amountCents: 1,
            costCode: 'X',
            category: null,
            erpCostCode: false,
            costCodeProblem: 'has cost code X, which is not an ERP cost code',
          },
        ],
      }),
      settings,
    );
    expect(violations).toEqual([
      { field: 'number', reason: 'ID Number must be 5 characters or less ("123456" has 6).' },
      { field: 'title', reason: 'Title must be 30 characters or less (it has 31).' },
      { field: 'status', reason: "Status must be 'Approved' (it is 'Pending')." },
      {
        field: 'vendorId',
        reason: 'Contract Company "Solid Rock Concrete" is not linked to a Sage 300 CRE vendor; ask accounting to link it.',
      },
      {
        field: 'lines',
        reason:
          'At least one line item must modify a Schedule of Values line linked to a Sage 300 CRE cost code and one of its categories: ' +
          'line item 1 has cost code X, which is not an ERP cost code.',
      },
    ]);
  });

  test('the ERP id comes from the change order number only where the company allows it, and stays editable', () => {
    expect(sage300cre.check(cco(), { erpIdFromChangeOrderNumber: false })).toEqual([
      { field: 'erpNumber', reason: expect.stringContaining('ID Number is required') },
    ]);
    expect(sage300cre.check(cco({ erpNumber: 'A7' }), { erpIdFromChangeOrderNumber: false })).toEqual([]);
    expect(sage300cre.toPayload(cco({ erpNumber: 'A7' }), settings)).toMatchObject({ id: 'A7' });
    expect(sage300cre.toPayload(cco(), settings)).toMatchObject({ id: '001' });
  });

  test('the description is cut to 1000 characters on export only; several modifications of a line are summed', () => {
    const item = cco({
      description: 'd'.repeat(1500),
      lines: [
        {
          lineNo: 1,
          sovLineNo: 2,
          description: 'a',
          amountCents: 150_000,
          costCode: '03-300',
          category: 'S',
          erpCostCode: true,
          costCodeProblem: null,
        },
        {
          lineNo: 2,
          sovLineNo: 1,
          description: 'b',
          amountCents: -2_550,
          costCode: '05-100',
          category: 'S',
          erpCostCode: true,
          costCodeProblem: null,
        },
        {
          lineNo: 3,
          sovLineNo: 2,
          description: 'c',
          amountCents: 75_025,
          costCode: '03-300',
          category: 'S',
          erpCostCode: true,
          costCodeProblem: null,
        },
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
      type: 'commitment',
      ref: 'SC-1',
      projectRef: 'P-1',
      kind: 'subcontract',
      number: 'SC-1',
      title: 'Concrete',
      description: '',
      status: 'Approved',
      vendor: null,
      createdBy: { id: 'u', name: 'Pat' },
      createdAt: '2026-10-01T00:00:00Z',
      parent: null,
      url: null,
      lines: [],
    };
    expect(sage300cre.check(commitment, settings).map((v) => v.field)).toEqual(['vendorId', 'sovLines']);
  });

  test('the parent must be synced first, and the refusal says which', () => {
    expect(() =>
      assertSendable(sage300cre, cco({ parent: { type: 'commitment', ref: 'SC-1', status: 'ReadyToExport', erpId: null } }), settings),
    ).toThrow("The commitment's ERP data has not yet been synced: commitment SC-1 is Ready to Export.");
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

test('a database URL is shown without its secrets, and one that cannot be read is neither accepted nor repeated', () => {
  expect(displayUrl('postgresql://erp:S3cret@db.internal:5432/erp?sslmode=require')).toBe(
    'postgresql://erp:***@db.internal:5432/erp?sslmode=require',
  );
  expect(displayUrl('postgresql://erp@db.internal/erp?password=S3cret&sslpassword=K3y')).toBe(
    'postgresql://erp@db.internal/erp?password=***&sslpassword=***',
  );
  for (const unreadable of ['postgresql://erp:S3cret@127.0.0.1:99999/x', 'postgresql://erp:S3cret@[::1/x']) {
    expect(displayUrl(unreadable)).not.toContain('S3cret');
    let problems: string[] = [];
    try {
      loadConfig({ DATABASE_URL: unreadable });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['DATABASE_URL: DATABASE_URL must be a PostgreSQL URL: postgresql://user:password@host:5432/database']);
  }
});

test('email settings: an SMTP URL needs a sender, and both are checked', () => {
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  expect(problems({ SMTP_URL: 'smtp://mail.example.com:587' })).toEqual([
    'EMAIL_FROM: EMAIL_FROM is required with SMTP_URL (the address notice emails come from)',
  ]);
  expect(problems({ SMTP_URL: 'http://mail.example.com', EMAIL_FROM: 'erp' })).toEqual([
    'SMTP_URL: SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587',
    'EMAIL_FROM: EMAIL_FROM must be an email address, or a name and an address such as "ERP approvals <erp@example.com>"',
  ]);
  expect(problems({ NOTIFY_EMAIL: 'sometimes' })[0]).toMatch(/^NOTIFY_EMAIL: /);
  const config = loadConfig({
    SMTP_URL: 'smtps://u:p@mail.example.com:465',
    EMAIL_FROM: 'ERP approvals <erp@example.com>',
    NOTIFY_EMAIL: 'always',
  });
  expect(config.NOTIFY_EMAIL).toBe('always');
  expect(loadConfig({}).NOTIFY_EMAIL).toBe('missing');
});

describe('seed rules on lines, dates and permissions', () => {
  const known = new Map([
    ['03-300', ['L', 'M', 'S']],
    ['05-100', []],
  ]);

  test('a line counts only with an ERP cost code and one of its categories, and the refusal names the line', () => {
    expect(costCodeProblem('03-300', 'S', known)).toBeNull();
    expect(costCodeProblem(null, 'S', known)).toBe('has no cost code');
    expect(costCodeProblem('99-999', 'S', known)).toBe('has cost code 99-999, which is not an ERP cost code');
    expect(costCodeProblem('03-300', null, known)).toBe('has no category (cost code 03-300 takes L, M, S)');
    expect(costCodeProblem('03-300', 'X', known)).toBe("has category X, which is not one of cost code 03-300's categories (L, M, S)");
    expect(costCodeProblem('05-100', 'S', known)).toBe("has category S, which is not one of cost code 05-100's categories (none)");

    const commitment: CommitmentItem = {
      type: 'commitment',
      ref: 'SC-1',
      projectRef: 'P-1',
      kind: 'subcontract',
      number: 'SC-1',
      title: 'Concrete',
      description: '',
      status: 'Approved',
      vendor,
      createdBy: { id: 'u', name: 'Pat' },
      createdAt: '2026-10-01T00:00:00Z',
      parent: null,
      url: null,
      lines: [
        {
          lineNo: 1,
          description: 'Footings',
          costCode: '03-300',
          category: 'X',
          erpCostCode: false,
          costCodeProblem: costCodeProblem('03-300', 'X', known),
          amountCents: 100,
        },
        {
          lineNo: 2,
          description: 'Slab',
          costCode: null,
          category: null,
          erpCostCode: false,
          costCodeProblem: costCodeProblem(null, null, known),
          amountCents: 100,
        },
      ],
    };
    expect(sage300cre.check(commitment, settings)).toEqual([
      {
        field: 'sovLines',
        reason:
          'The Schedule of Values needs at least one line linked to a Sage 300 CRE cost code and one of its categories: ' +
          "line 1 has category X, which is not one of cost code 03-300's categories (L, M, S); line 2 has no cost code.",
      },
    ]);
  });

  test("the commitment date is the creation date's calendar day in the company's time zone", () => {
    // 7:30 pm in Los Angeles on 2 November is already 3 November in UTC.
    const evening = cco({ createdAt: '2026-11-03T03:30:00.000Z' });
    expect(sage300cre.toPayload(evening, { ...settings, timeZone: 'America/Los_Angeles' })).toMatchObject({ commitmentDate: '2026-11-02' });
    expect(sage300cre.toPayload(evening, { ...settings, timeZone: 'UTC' })).toMatchObject({ commitmentDate: '2026-11-03' });
    expect(sage300cre.toPayload(evening, settings)).toMatchObject({ commitmentDate: '2026-11-03' });
    expect(calendarDate('2026-11-03T03:30:00.000Z', 'Asia/Tokyo')).toBe('2026-11-03');
  });

  test('re-sending, retrieving and voiding a change order need Commitments only; sending needs Change Orders too', () => {
    const commitmentsOnly: Actor = {
      id: 'p',
      name: 'Pat',
      canPushToAccounting: false,
      grants: [{ scope: 'project:P-1', tool: 'Commitments', level: 'Admin' }],
    };
    const item = { type: 'cco' as const, ref: 'CO-1', projectRef: 'P-1' };
    expect(missingPermissions(commitmentsOnly, 'send', item)).toEqual(["'Admin' on project P-1's Change Orders tool"]);
    for (const action of ['resend', 'retrieve', 'void'] as const) expect(missingPermissions(commitmentsOnly, action, item)).toEqual([]);
  });

  test('a grant on a project whose ref is "company" is not a company-wide grant', () => {
    const onProjectCompany: Actor = {
      id: 'x',
      name: 'Mallory',
      canPushToAccounting: true,
      grants: [
        { scope: projectScope('company'), tool: 'ErpIntegrations', level: 'Admin' },
        { scope: projectScope('company'), tool: 'Commitments', level: 'Admin' },
      ],
    };
    expect(isAccountingApprover(onProjectCompany)).toBe(false);
    expect(missingPermissions(onProjectCompany, 'send', { type: 'commitment', projectRef: 'P-1' })).toEqual([
      "'Admin' on project P-1's Commitments tool",
    ]);
    expect(missingPermissions(onProjectCompany, 'send', { type: 'commitment', projectRef: 'company' })).toEqual([]);
  });
});

describe('the reviewed snapshot', () => {
  test('canonical JSON sorts keys at every level and has no spaces', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x y' } })).toBe('{"a":{"c":"x y","d":[{"y":2,"z":1}]},"b":1}');
  });

  test('a re-send shows what changed since the rejected snapshot, fields and lines, old → new', () => {
    const before = reviewFacts(cco());
    const after = reviewFacts(
      cco({
        title: 'Extra rebar, revised',
        lines: [
          {
            lineNo: 1,
            sovLineNo: 2,
            description: 'Rebar',
            amountCents: 100,
            costCode: '03-300',
            category: 'S',
            erpCostCode: true,
            costCodeProblem: null,
          },
          {
            lineNo: 2,
            sovLineNo: 1,
            description: 'Labor',
            amountCents: 5000,
            costCode: '03-300',
            category: 'S',
            erpCostCode: true,
            costCodeProblem: null,
          },
        ],
      }),
    );
    expect(reviewChanges(before, after)).toEqual([
      { field: 'title', label: 'Title', from: 'Extra rebar', to: 'Extra rebar, revised' },
      { field: 'totalAmount', label: 'Total Amount', from: '$1.00', to: '$51.00' },
      { field: 'lines.1', label: 'Line 1', from: 'SOV 1 · Rebar · 03-300/S · $1.00', to: 'SOV 2 · Rebar · 03-300/S · $1.00' },
      { field: 'lines.2', label: 'Line 2', from: null, to: 'SOV 1 · Labor · 03-300/S · $50.00' },
    ]);
    expect(reviewChanges(before, before)).toEqual([]);
  });
});

describe('what can be done now', () => {
  const rules = { profile: sage300cre, settings, allowSelfApproval: false };
  const pat: Actor = {
    id: 'u1',
    name: 'Pat',
    canPushToAccounting: true,
    grants: [{ scope: 'company', tool: 'ErpIntegrations', level: 'Admin' }],
  };

  test('an action is offered only when it would pass; the others say why', () => {
    const item = cco({ title: 'x'.repeat(31) });
    const { availableActions, unavailable } = availability({ item, status: 'NotSent', ...rules });
    expect(availableActions).toEqual([]);
    expect(unavailable.find((u) => u.action === 'send')?.reasons).toEqual(['Title must be 30 characters or less (it has 31).']);
    expect(unavailable.find((u) => u.action === 'accept')?.reasons).toEqual([
      'commitment change order CO-1 is Not Sent, so it cannot be accepted.',
    ]);
    expect(availability({ item: cco(), status: 'NotSent', ...rules }).availableActions).toEqual(['send']);
  });

  test('one person: missing permissions, and separation of duties for the round they sent', () => {
    const view = availability({ item: cco(), status: 'ReadyToExport', ...rules, actor: pat, sentBy: { id: 'u1', name: 'Pat' } });
    expect(view.availableActions).toEqual([]);
    expect(view.unavailable.find((u) => u.action === 'accept')?.reasons).toEqual([
      'Pat sent commitment change order CO-1 for this round, so cannot also accept it: another accounting approver must decide (separation of duties).',
    ]);
    expect(view.unavailable.find((u) => u.action === 'retrieve')?.reasons).toEqual([
      "Pat is missing 'Admin' on project P-1's Commitments tool.",
    ]);
    const allowed = availability({
      item: cco(),
      status: 'ReadyToExport',
      ...rules,
      allowSelfApproval: true,
      actor: pat,
      sentBy: { id: 'u1', name: 'Pat' },
    });
    expect(allowed.availableActions).toEqual(['accept', 'reject']);
  });

  test('a project cannot be voided; a rejected change order can', () => {
    expect(availability({ item: projectItem(), status: 'Rejected', ...rules }).availableActions).toEqual(['resend']);
    expect(availability({ item: cco(), status: 'Rejected', ...rules }).availableActions).toEqual(['resend', 'void']);
  });
});

describe('what counts as the database being unavailable', () => {
  const socket = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.5:5432`), { code, syscall: 'connect', errno: -113 });

  test('a lost or refused connection, a server restarting or read-only, a pool with no connection free', () => {
    for (const err of [
      socket('EHOSTUNREACH'),
      socket('EAI_AGAIN'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(true);
    }
    for (const code of ['57P01', '57P03', '53300', '25006', 'P1001', 'P2024', 'P2028'])
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  test('a refusal quoting words like ECONNRESET, a workflow failure, or a bug is not', () => {
    expect(
      isDatabaseUnavailable(new UnknownReference('project: there is no project "ECONNRESET"; push the project first.', 'project')),
    ).toBe(false);
    expect(isDatabaseUnavailable(ApplicationFailure.nonRetryable('The ERP could not be reached: connect ECONNREFUSED', 'ErpRefused'))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(false);
  });
});

describe('one refusal per rule, whichever path refuses', () => {
  const dana = { id: 'u-dana', name: 'Dana Lee' };
  const pat = { id: 'u-pat', name: 'Pat Morgan' };

  test('an action its status does not allow names who settled it and what can be done instead', () => {
    const history = [
      { action: 'send' as const, by: pat, at: '2026-11-02T09:00:00.000Z' },
      { action: 'accept' as const, by: dana, at: '2026-11-02T10:00:00.000Z' },
      { action: 'exported' as const, by: null, at: '2026-11-02T10:00:05.000Z' },
    ];
    const refusal = wrongState('cco', 'CO-7', 'Synced', 'reject', history);
    expect(refusal).toBeInstanceOf(NotAwaitingDecision);
    expect(refusal.message).toBe(
      'commitment change order CO-7 is Synced, so it cannot be rejected. It was accepted by Dana Lee at 2026-11-02T10:00:00.000Z.',
    );
    expect(refusal.details()).toEqual({
      status: 'Synced',
      decision: { action: 'accepted', by: 'Dana Lee', at: '2026-11-02T10:00:00.000Z' },
    });
    // Nobody has decided since the send: the send is quoted, and the actions that apply are listed.
    const rejected = wrongState('commitment', 'SC-1', 'Rejected', 'accept', [history[0]!]);
    expect(rejected.message).toBe(
      'commitment SC-1 is Rejected, so it cannot be accepted. It was sent by Pat Morgan at 2026-11-02T09:00:00.000Z. What can be done now: resend, void.',
    );
    expect(wrongState('project', 'P-1', 'Rejected', 'accept').message).toBe(
      'project P-1 is Rejected, so it cannot be accepted. What can be done now: resend.',
    );
  });

  test('after a re-send the refusal quotes the current round, never the earlier rejection', () => {
    const history = [
      { action: 'send' as const, by: pat, at: '2026-11-02T09:00:00.000Z' },
      { action: 'reject' as const, by: dana, at: '2026-11-02T10:00:00.000Z' },
      { action: 'resend' as const, by: pat, at: '2026-11-03T09:00:00.000Z' },
    ];
    const refusal = wrongState('cco', 'CO-7', 'ReadyToExport', 'void', history);
    expect(refusal.message).toContain('It was re-sent by Pat Morgan at 2026-11-03T09:00:00.000Z.');
    expect(refusal.details()).toMatchObject({ decision: { action: 're-sent', by: 'Pat Morgan' } });
  });

  test('a send of an item already with accounting is AlreadyInReview, not a state refusal', () => {
    const refusal = wrongState('cco', 'CO-7', 'FailedToExport', 'resend');
    expect(refusal).toBeInstanceOf(AlreadyInReview);
    expect(refusal.message).toBe('commitment change order CO-7 is already in review with accounting (Failed to Export).');
  });

  test('a decision racing another names the one in flight', () => {
    const refusal = decisionInFlight('cco', 'CO-7', 'ReadyToExport', { action: 'reject', by: dana, at: '2026-11-02T10:00:00.000Z' });
    expect(refusal.message).toBe('commitment change order CO-7 is already being rejected by Dana Lee (since 2026-11-02T10:00:00.000Z).');
    expect(refusal.details()).toMatchObject({ decision: { action: 'rejected', by: 'Dana Lee' } });
  });

  test('every domain error crosses Temporal and comes back as itself, with its facts', () => {
    const concrete = Object.values(errors)
      .filter((value) => typeof value === 'function' && value.prototype instanceof DomainError)
      .map((cls) => cls.name);
    expect(concrete.length).toBeGreaterThan(10);
    expect([...REBUILT_ERRORS].sort()).toEqual(concrete.sort());

    const samples: DomainError[] = [
      wrongState('cco', 'CO-7', 'Synced', 'reject', [{ action: 'accept', by: dana, at: '2026-11-02T10:00:00.000Z' }]),
      new PermissionDenied('Eli cannot accept it.', ["the 'Can Push to Accounting' privilege"]),
      new UnknownReference('There is no project "P-9".', 'project'),
      new RoundNotRunning('Its round is not running.'),
    ];
    for (const sample of samples) {
      const back = domainErrorFrom(new Error('Update failed', { cause: toApplicationFailure(sample) }));
      expect(back).toBeInstanceOf(sample.constructor);
      expect(back?.message).toBe(sample.message);
      expect(back?.details()).toEqual(sample.details());
    }
  });
});

describe('a reason a person can read', () => {
  test('one made only of invisible characters is no reason: zero-width, fillers, controls, bidi marks', () => {
    for (const invisible of [
      '\u200b\u200b',
      '\u200c\u200d\u2060\ufeff',
      '\u3164\u115f',
      '\u2800',
      '\u0001\u0007\u001b',
      '\u0085',
      '\u202e\u2066',
      '\u00ad',
      ' \u00a0\u3000\t',
    ]) {
      expect(reasonProblem(invisible)).toBe(REASON_REQUIRED);
    }
    for (const visible of ['ok', 'Split the labor', '🙂', '日本語', '\u200bfix line 2']) expect(reasonProblem(visible)).toBeUndefined();
  });
});

describe('one ERP id per commitment', () => {
  const settings = { erpIdFromChangeOrderNumber: true, timeZone: 'UTC' };
  const sibling = (status: ErpStatus, number = '001', erpNumber: string | null = null, mayBeInErp = false) => ({
    ref: 'CO-9',
    number,
    erpNumber,
    status,
    mayBeInErp,
  });

  test('a change order whose ID Number another one of the commitment already took with accounting or in the ERP is not sendable', () => {
    expect(sage300cre.check(cco({ siblings: [sibling('Synced')] }), settings)).toContainEqual({
      field: 'number',
      reason: 'ID Number 001 is already used on commitment SC-1 by change order CO-9 (Synced).',
    });
    // Typed ERP ids compare without regard to case.
    expect(sage300cre.check(cco({ erpNumber: 'a1', siblings: [sibling('ReadyToExport', '777', 'A1')] }), settings)).toContainEqual({
      field: 'erpNumber',
      reason: 'ID Number a1 is already used on commitment SC-1 by change order CO-9 (Ready to Export).',
    });
  });

  test('one that never reached accounting, or left it, does not hold the number', () => {
    for (const status of ['NotSent', 'Rejected', 'Retrieved', 'Voided'] as const) {
      expect(sage300cre.check(cco({ siblings: [sibling(status)] }), settings)).toEqual([]);
    }
  });

  test('one that left accounting while the ERP may hold it (its export booked, or unanswered) still holds the number', () => {
    for (const status of ['Rejected', 'Retrieved', 'Voided'] as const) {
      expect(sage300cre.check(cco({ siblings: [sibling(status, '001', null, true)] }), settings)).toEqual([
        {
          field: 'number',
          reason: `ID Number 001 is already used on commitment SC-1 by change order CO-9 (${status}, but its export may be in the ERP).`,
        },
      ]);
    }
  });

  test('an ID Number holds only printable ASCII: invisible, accented and look-alike characters would read as another record', () => {
    for (const id of ['R0\u200b', '\u200bR0', 'R\u00ad0', 'R0\u2060', 'R\u200d0', 'R0\u0301', '\u0420' + '0', '\uff32\uff10', 'R 0']) {
      expect(sage300cre.check(cco({ erpNumber: id }), settings)).toEqual([
        {
          field: 'erpNumber',
          reason: `ID Number may hold only letters A–Z, digits and keyboard punctuation, without spaces ("${id}" has others, maybe invisible).`,
        },
      ]);
    }
    expect(sage300cre.check(cco({ erpNumber: 'R-0/1' }), settings)).toEqual([]);
  });
});
