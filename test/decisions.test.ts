import { Client } from '@temporalio/client';
import { RequirementsNotMet } from '../domain/errors';
import { ApprovalDesk } from '../services/approval-desk';
import {
  APPROVER,
  APPROVER_2,
  BOTH,
  ENGINEER,
  PM,
  addSenderApprover,
  changeOrderBody,
  commitmentBody,
  seedCompany,
} from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { FAST_EXPORT_POLICY, TEST_RULES, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
});

afterAll(() => h?.stop());

test('a change order that fails the Sage 300 CRE requirements is refused with every failing field, and nothing changes', async () => {
  await h.intake.upsertVendor('V-NEW', { name: 'Brand New Electric', erpVendorId: null });
  await h.intake.upsertCommitment(
    'SC-002',
    commitmentBody({
      number: 'SC-002',
      vendorId: 'V-NEW',
      sovLines: [{ lineNo: 1, description: 'Wiring', costCode: '26-000', amount: 100 }],
    }),
  );
  await h.intake.upsertChangeOrder(
    'CO-BAD',
    changeOrderBody({
      commitment: 'SC-002',
      number: '000123',
      title: 'A title that is far longer than thirty characters',
      status: 'Pending',
      lines: [{ lineNo: 1, sovLineNo: 1, amount: 10 }],
    }),
  );
  // The commitment must be in the ERP first.
  await expect(h.desk.send('cco', 'CO-BAD', PM)).rejects.toMatchObject({
    code: 'parent_not_synced',
    message: expect.stringContaining("commitment's ERP data has not yet been synced"),
  });

  await h.intake.upsertChangeOrder(
    'CO-BAD2',
    changeOrderBody({
      number: '000123',
      title: 'A title that is far longer than thirty characters',
      status: 'Pending',
      lines: [{ lineNo: 1, sovLineNo: 1, amount: 10 }],
    }),
  );
  await h.db.costCode.delete({ where: { code: '03-300' } });
  await h.db.vendor.update({ where: { id: 'V-CONCRETE' }, data: { erpVendorId: null } });
  try {
    const refusal = await h.desk.send('cco', 'CO-BAD2', PM).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(RequirementsNotMet);
    expect((refusal as RequirementsNotMet).violations.map((v) => v.field)).toEqual(['number', 'title', 'status', 'vendorId', 'lines']);
    expect((refusal as RequirementsNotMet).message).toContain('ID Number must be 5 characters or less ("000123" has 6)');
    const view = await h.desk.view('cco', 'CO-BAD2');
    expect(view.erp.status).toBe('NotSent');
    expect(view.history).toEqual([]);
  } finally {
    await h.intake.upsertCostCode('03-300', { description: 'Cast-in-place concrete', categories: ['S'] });
    await h.db.vendor.update({ where: { id: 'V-CONCRETE' }, data: { erpVendorId: 'SRC100' } });
  }
});

test('two approvers accepting at once: exactly one decision counts, the other is told who decided', async () => {
  await h.intake.upsertChangeOrder('CO-R1', changeOrderBody({ number: 'R1' }));
  await h.desk.send('cco', 'CO-R1', PM);

  const results = await Promise.allSettled([
    h.desk.accept('cco', 'CO-R1', { by: APPROVER }),
    h.desk.accept('cco', 'CO-R1', { by: APPROVER_2 }),
  ]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0]?.reason).toMatchObject({ code: 'not_awaiting_decision' });
  expect(lost[0]?.reason.message).toMatch(/already being accepted by (Dana Lee|Sam Ortiz)|was accepted by (Dana Lee|Sam Ortiz) at \d{4}-/);

  const synced = await untilStatus(h, 'cco', 'CO-R1', 'Synced');
  expect(synced.history.filter((e) => e.action === 'accepted')).toHaveLength(1);
  expect(await h.sandbox.exportsFor('CO-R1')).toHaveLength(1);
});

test('accept racing reject: one wins, the loser hears who decided and when', async () => {
  await h.intake.upsertChangeOrder('CO-R2', changeOrderBody({ number: 'R2' }));
  await h.desk.send('cco', 'CO-R2', PM);

  const [accept, reject] = await Promise.allSettled([
    h.desk.accept('cco', 'CO-R2', { by: APPROVER }),
    h.desk.reject('cco', 'CO-R2', { by: APPROVER_2, reason: 'Duplicate of CO-R1' }),
  ]);
  expect([accept.status, reject.status].sort()).toEqual(['fulfilled', 'rejected']);
  const loser = (accept.status === 'rejected' ? accept : reject) as PromiseRejectedResult;
  expect(loser.reason.code).toBe('not_awaiting_decision');
  expect(loser.reason.message).toMatch(/(accepted|rejected) by (Dana Lee|Sam Ortiz)/);

  const view = await h.desk.view('cco', 'CO-R2');
  const decisions = view.history.filter((e) => e.action === 'accepted' || e.action === 'rejected');
  expect(decisions).toHaveLength(1);
});

test('a decision held up on its way lands on the round it was checked against, never on a newer one its decider sent', async () => {
  await addSenderApprover(h.intake);
  await h.intake.upsertChangeOrder('CO-LATE', changeOrderBody({ number: 'LATE' }));
  await h.desk.send('cco', 'CO-LATE', PM);

  // Casey's accept of round 1 is checked, then held on the wire (a slow network, a retried call).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const holding = new Promise<void>((resolve) => (arrived = resolve));
  const slow = new Client({
    connection: h.client.connection,
    interceptors: {
      workflow: [
        {
          async startUpdate(input, next) {
            arrived();
            await held;
            return next(input);
          },
        },
      ],
    },
  });
  const slowDesk = new ApprovalDesk({
    db: h.db,
    client: slow,
    taskQueue: h.taskQueue,
    exportPolicy: FAST_EXPORT_POLICY,
    transport: h.sandbox,
    ...TEST_RULES,
  });
  const late = slowDesk.accept('cco', 'CO-LATE', { by: BOTH }).then(
    () => undefined,
    (err: unknown) => err,
  );
  await holding;

  // Meanwhile round 1 is rejected, and Casey sends it again: round 2 is Casey's own.
  await h.desk.reject('cco', 'CO-LATE', { by: APPROVER, reason: 'Wrong cost code' });
  await h.desk.resend('cco', 'CO-LATE', BOTH);
  release();

  expect(await late).toMatchObject({ code: 'not_awaiting_decision' });
  const view = await h.desk.view('cco', 'CO-LATE');
  expect(view.erp).toMatchObject({ status: 'ReadyToExport', round: 2 });
  expect(view.history.filter((entry) => entry.action === 'accepted')).toEqual([]);
  expect(await h.sandbox.exportsFor('CO-LATE')).toHaveLength(0);
});

test('pressing twice: the second press is told the item was already accepted, by whom and when', async () => {
  await h.intake.upsertChangeOrder('CO-R3', changeOrderBody({ number: 'R3' }));
  await h.desk.send('cco', 'CO-R3', PM);
  await h.desk.accept('cco', 'CO-R3', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-R3', 'Synced');
  await expect(h.desk.accept('cco', 'CO-R3', { by: APPROVER_2 })).rejects.toMatchObject({
    code: 'not_awaiting_decision',
    message: expect.stringMatching(/is Synced, so it cannot be accepted\. It was accepted by Dana Lee at \d{4}-\d\d-\d\dT/),
  });
});

test('a second send while a round runs is refused as already in review', async () => {
  await h.intake.upsertChangeOrder('CO-S2', changeOrderBody({ number: 'S2' }));
  await h.desk.send('cco', 'CO-S2', PM);
  await expect(h.desk.send('cco', 'CO-S2', PM)).rejects.toMatchObject({ code: 'already_in_review' });
  await expect(h.desk.resend('cco', 'CO-S2', PM)).rejects.toMatchObject({ code: 'already_in_review' });
});

test('each action refuses a user without the permission, naming what is missing, and changes nothing', async () => {
  await h.intake.upsertChangeOrder('CO-X1', changeOrderBody({ number: 'X1' }));
  await expect(h.desk.send('cco', 'CO-X1', ENGINEER)).rejects.toMatchObject({
    code: 'permission_denied',
    message:
      "Eli Field cannot send commitment change order CO-X1: missing 'Admin' on project P-100's Commitments tool and 'Admin' on project P-100's Change Orders tool.",
  });
  await expect(h.desk.send('cco', 'CO-X1', APPROVER)).rejects.toMatchObject({ code: 'permission_denied' });

  await h.desk.send('cco', 'CO-X1', PM);
  for (const attempt of [
    () => h.desk.accept('cco', 'CO-X1', { by: ENGINEER }),
    () => h.desk.reject('cco', 'CO-X1', { by: ENGINEER, reason: 'no' }),
    () => h.desk.accept('cco', 'CO-X1', { by: PM }),
  ]) {
    await expect(attempt()).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining("the 'Can Push to Accounting' privilege"),
    });
  }
  await expect(h.desk.accept('cco', 'CO-X1', { by: ENGINEER })).rejects.toMatchObject({
    message: expect.stringContaining("'Standard' or 'Admin' on the company's ERP Integrations tool"),
  });
  await expect(h.desk.retrieve('cco', 'CO-X1', { by: ENGINEER })).rejects.toMatchObject({ code: 'permission_denied' });
  await expect(h.desk.retrieve('cco', 'CO-X1', { by: 'nobody' })).rejects.toMatchObject({ code: 'unknown_user' });

  await h.desk.reject('cco', 'CO-X1', { by: APPROVER, reason: 'Wrong amount' });
  await expect(h.desk.resend('cco', 'CO-X1', ENGINEER)).rejects.toMatchObject({ code: 'permission_denied' });

  const view = await h.desk.view('cco', 'CO-X1');
  expect(view.history.map((e) => e.action)).toEqual(['sent', 'rejected']);
});

test('reject needs a reason', async () => {
  await h.intake.upsertChangeOrder('CO-N1', changeOrderBody({ number: 'N1' }));
  await h.desk.send('cco', 'CO-N1', PM);
  await expect(h.desk.reject('cco', 'CO-N1', { by: APPROVER, reason: '   ' })).rejects.toMatchObject({ code: 'invalid_request' });
  expect((await h.desk.view('cco', 'CO-N1')).erp.status).toBe('ReadyToExport');
});

test('locked fields cannot be edited while the item is with accounting; rejection unlocks them', async () => {
  await h.intake.upsertChangeOrder('CO-L1', changeOrderBody({ number: 'L1' }));
  await h.desk.send('cco', 'CO-L1', PM);

  await expect(
    h.intake.upsertChangeOrder(
      'CO-L1',
      changeOrderBody({ number: 'L1', title: 'Changed title', lines: [{ lineNo: 1, sovLineNo: 1, amount: 99 }] }),
    ),
  ).rejects.toMatchObject({
    code: 'item_locked',
    fields: ['title', 'totalAmount', 'lines'],
  });
  // A field that does not feed the ERP record may still change.
  await h.intake.upsertChangeOrder('CO-L1', changeOrderBody({ number: 'L1', url: 'https://pm.example.com/co/L1' }));
  const view = await h.desk.view('cco', 'CO-L1');
  expect(view).toMatchObject({ url: 'https://pm.example.com/co/L1', item: { title: 'Extra rebar at grid C' } });

  await h.desk.reject('cco', 'CO-L1', { by: APPROVER, reason: 'Split into two change orders' });
  await h.intake.upsertChangeOrder('CO-L1', changeOrderBody({ number: 'L1', title: 'Changed title' }));
  expect((await h.desk.view('cco', 'CO-L1')).item.title).toBe('Changed title');
});

test('under an unchanged total, lines cannot be moved, re-coded, added or removed, nor any other exported field changed', async () => {
  await h.intake.upsertChangeOrder('CO-L2', changeOrderBody({ number: 'L2' }));
  await h.desk.send('cco', 'CO-L2', PM);
  const lines = [
    { lineNo: 1, sovLineNo: 1, description: 'Rebar', amount: '1500.00' },
    { lineNo: 2, sovLineNo: 1, description: 'Labor for rebar', amount: '750.25' },
    { lineNo: 3, sovLineNo: 2, description: 'Slab thickening', amount: '2000' },
  ];
  const attempts: [Partial<Parameters<typeof changeOrderBody>[0]>, string[]][] = [
    // Line 1's $1,500 moves from SOV line 1 to SOV line 2: same total.
    [{ lines: lines.map((l) => (l.lineNo === 1 ? { ...l, sovLineNo: 2 } : l)) }, ['lines']],
    // Two lines trade amounts: same total.
    [
      { lines: lines.map((l) => (l.lineNo === 1 ? { ...l, amount: '750.25' } : l.lineNo === 2 ? { ...l, amount: '1500.00' } : l)) },
      ['lines'],
    ],
    // Line 3 split into two: same total, one line more.
    [
      {
        lines: [
          ...lines.slice(0, 2),
          { lineNo: 3, sovLineNo: 2, description: 'Slab thickening', amount: '1000' },
          { lineNo: 4, sovLineNo: 2, amount: '1000' },
        ],
      },
      ['lines'],
    ],
    [{ description: 'A different scope' }, ['description']],
    [{ erpNumber: 'X1' }, ['erpNumber']],
    [{ createdAt: '2026-11-05T15:30:00Z' }, ['createdAt']],
  ];
  for (const [change, fields] of attempts) {
    await expect(h.intake.upsertChangeOrder('CO-L2', changeOrderBody({ number: 'L2', ...change }))).rejects.toMatchObject({
      code: 'item_locked',
      fields,
    });
  }
  // The same creation instant written another way is no change.
  await h.intake.upsertChangeOrder('CO-L2', changeOrderBody({ number: 'L2', createdAt: '2026-11-02T10:30:00-05:00' }));
  const { item } = await h.desk.view('cco', 'CO-L2');
  if (item.type !== 'cco') throw new Error('not a change order');
  expect(item.lines.map((l) => [l.lineNo, l.sovLineNo, l.amountCents])).toEqual([
    [1, 1, 150_000],
    [2, 1, 75_025],
    [3, 2, 200_000],
  ]);
  await expect(
    h.intake.upsertChangeOrder('CO-L2', changeOrderBody({ number: 'L2', lines: [{ ...lines[0]!, sovLineNo: 2 }, ...lines.slice(1)] })),
  ).rejects.toThrow(
    'commitment change order CO-L2 is Ready to Export: Line items (line 1 changed) cannot be edited until accounting rejects it or it is retrieved.',
  );

  // A commitment's schedule of values is locked the same way.
  const commitment = await h.desk.view('commitment', 'SC-001');
  expect(commitment.erp.status).toBe('Synced');
  await expect(
    h.intake.upsertCommitment(
      'SC-001',
      commitmentBody({
        sovLines: [
          { lineNo: 1, description: 'Footings', costCode: '03-300', category: 'L', amount: '120000.00' },
          { lineNo: 2, description: 'Slab', costCode: '03-300', category: 'S', amount: 80000 },
        ],
      }),
    ),
  ).rejects.toMatchObject({ code: 'item_locked', fields: ['sovLines'] });
});

test('an unknown ref is answered with close suggestions', async () => {
  await expect(h.desk.send('cco', 'CO-R01', PM)).rejects.toMatchObject({
    code: 'unknown_item',
    suggestions: expect.arrayContaining(['CO-R1']),
  });
});

test('a commitment cannot be sent before its project is in the ERP', async () => {
  await seedCompany(h.intake, 'P-200');
  await h.intake.upsertCommitment('SC-200', commitmentBody({ project: 'P-200', number: 'SC-200' }));
  await expect(h.desk.send('commitment', 'SC-200', PM)).rejects.toMatchObject({
    code: 'parent_not_synced',
    message: expect.stringContaining("project's ERP data has not yet been synced: project P-200 is Not Sent"),
  });
});
