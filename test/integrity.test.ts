/**
 * What a controller checks at year-end: the ERP holds exactly what an approver reviewed, never two
 * records for one item, nobody approves their own round, and a rejected item can be voided for good.
 */
import { createHash } from 'node:crypto';
import { UserBody } from '../domain/intake';
import { canonicalJson } from '../domain/review';
import { APPROVER, APPROVER_2, BOTH, ENGINEER, PM, addSenderApprover, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { FAST_EXPORT_POLICY, startHarness, TEST_RULES, type Harness } from './support/harness';
import { ApprovalDesk } from '../services/approval-desk';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ exportPolicy: { ...FAST_EXPORT_POLICY, maximumAttempts: 3 } });
  await companyWithSyncedCommitment(h);
  await addSenderApprover(h.intake);
});

afterAll(() => h?.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('the snapshot frozen at send is what the approver saw and what the ERP receives, byte for byte', async () => {
  await h.intake.upsertChangeOrder('CO-S1', changeOrderBody({ number: 'S1', createdAt: '2026-11-03T03:30:00Z' }));
  const sent = await h.desk.send('cco', 'CO-S1', PM);
  const reviewed = sent.erp.reviewed!;
  expect(reviewed).toMatchObject({
    round: 1,
    by: { id: PM, name: 'Pat Morgan' },
    payload: { record: 'commitment_change_order', ref: 'CO-S1', amount: '4250.25', vendor: 'SRC100' },
  });
  expect(reviewed.hash).toBe(sha256(canonicalJson(reviewed.payload)));
  expect(sent.history[0]).toMatchObject({
    action: 'sent',
    snapshotHash: reviewed.hash,
    message: `Reviewed snapshot sha256:${reviewed.hash}`,
  });

  // Reference data changes after the review: the ERP still gets what was reviewed, not a re-read.
  await h.intake.upsertVendor('V-CONCRETE', { name: 'Solid Rock Concrete', erpVendorId: 'SRC999' });
  try {
    await h.desk.accept('cco', 'CO-S1', { by: APPROVER });
    const synced = await untilStatus(h, 'cco', 'CO-S1', 'Synced');
    const [booked] = await h.sandbox.exportsFor('CO-S1');
    expect(booked?.payload).toEqual(reviewed.payload);
    expect((booked?.payload as { vendor: string }).vendor).toBe('SRC100');
    expect(synced.history.map((e) => [e.action, e.snapshotHash])).toEqual([
      ['sent', reviewed.hash],
      ['accepted', reviewed.hash],
      ['exported', reviewed.hash],
    ]);
    expect(synced.erp.reviewed).toEqual(reviewed);
  } finally {
    await h.intake.upsertVendor('V-CONCRETE', { name: 'Solid Rock Concrete', erpVendorId: 'SRC100' });
  }
});

test('a re-send shows what changed since the rejected snapshot', async () => {
  await h.intake.upsertChangeOrder('CO-S2', changeOrderBody({ number: 'S2' }));
  const first = await h.desk.send('cco', 'CO-S2', PM);
  expect(first.review?.changes).toBeNull();
  await h.desk.reject('cco', 'CO-S2', { by: APPROVER, reason: 'Slab thickening belongs on SOV line 1' });
  await h.intake.upsertChangeOrder(
    'CO-S2',
    changeOrderBody({
      number: 'S2',
      lines: [
        { lineNo: 1, sovLineNo: 1, description: 'Rebar', amount: '1500.00' },
        { lineNo: 2, sovLineNo: 1, description: 'Labor for rebar', amount: '750.25' },
        { lineNo: 3, sovLineNo: 1, description: 'Slab thickening', amount: '2000' },
      ],
    }),
  );
  const resent = await h.desk.resend('cco', 'CO-S2', PM);
  expect(resent.erp.reviewed?.round).toBe(2);
  expect(resent.erp.reviewed?.hash).not.toBe(first.erp.reviewed?.hash);
  expect(resent.review?.changes).toEqual([
    {
      field: 'lines.3',
      label: 'Line 3',
      from: 'SOV 2 · Slab thickening · 03-300/S · $2,000.00',
      to: 'SOV 1 · Slab thickening · 03-300/S · $2,000.00',
    },
  ]);
});

test('an export whose answers were all lost, then rejected and re-sent, is found booked: one record in the ERP', async () => {
  await h.intake.upsertChangeOrder('CO-D1', changeOrderBody({ number: 'D1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-D1', lostAnswers: 3 });
  const first = await h.desk.send('cco', 'CO-D1', PM);
  await h.desk.accept('cco', 'CO-D1', { by: APPROVER });
  const failed = await untilStatus(h, 'cco', 'CO-D1', 'FailedToExport');
  expect(failed.erp.exportError).toContain('could not be reached after 3 attempts');
  const [booked] = await h.sandbox.exportsFor('CO-D1');
  expect(booked).toMatchObject({ idempotencyKey: 'erp:cco:CO-D1#1', calls: 3 });

  await h.desk.reject('cco', 'CO-D1', { by: APPROVER, reason: 'Will look at it again tomorrow' });
  await h.sandbox.clearFault('CO-D1');
  await h.desk.resend('cco', 'CO-D1', PM);
  await h.desk.accept('cco', 'CO-D1', { by: APPROVER_2 });
  const synced = await untilStatus(h, 'cco', 'CO-D1', 'Synced');

  const ledger = await h.sandbox.exportsFor('CO-D1');
  expect(ledger).toHaveLength(1);
  expect(synced.erp.erpId).toBe(booked?.erpId);
  const exported = synced.history.at(-1)!;
  expect(exported).toMatchObject({ action: 'exported', snapshotHash: first.erp.reviewed?.hash });
  expect(exported.message).toContain(
    `already booked under the earlier key erp:cco:CO-D1#1 (round 1, snapshot sha256:${first.erp.reviewed?.hash})`,
  );
  const attempts = await h.db.exportAttempt.findMany({ where: { erpRecord: { itemRef: 'CO-D1' } }, orderBy: { round: 'asc' } });
  expect(attempts.map((a) => [a.idempotencyKey, a.outcome])).toEqual([['erp:cco:CO-D1#1', 'Booked']]);
  // The item says what the ERP holds: round 1's snapshot, not the latest reviewed one.
  expect(synced.erp.exported).toEqual({
    idempotencyKey: 'erp:cco:CO-D1#1',
    round: 1,
    snapshotHash: first.erp.reviewed?.hash,
    erpId: booked?.erpId,
  });
  expect(synced.erp.reviewed?.round).toBe(2);
});

test('an earlier key the ERP never booked is marked so, and the new round exports under its own key', async () => {
  await h.intake.upsertChangeOrder('CO-D2', changeOrderBody({ number: 'D2' }));
  await h.sandbox.injectFault({ itemRef: 'CO-D2', transientFailures: 3 });
  await h.desk.send('cco', 'CO-D2', PM);
  await h.desk.accept('cco', 'CO-D2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-D2', 'FailedToExport');
  await h.desk.reject('cco', 'CO-D2', { by: APPROVER, reason: 'ERP was down; sending again' });
  await h.sandbox.clearFault('CO-D2');
  await h.desk.resend('cco', 'CO-D2', PM);
  await h.desk.accept('cco', 'CO-D2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-D2', 'Synced');
  expect((await h.sandbox.exportsFor('CO-D2')).map((e) => e.idempotencyKey)).toEqual(['erp:cco:CO-D2#2']);
  const attempts = await h.db.exportAttempt.findMany({ where: { erpRecord: { itemRef: 'CO-D2' } }, orderBy: { round: 'asc' } });
  expect(attempts.map((a) => [a.round, a.outcome])).toEqual([
    [1, 'NotBooked'],
    [2, 'Booked'],
  ]);
});

test('whoever sent a round cannot accept, reject or retry it, even as an approver; the buttons say so first', async () => {
  await h.intake.upsertChangeOrder('CO-SD', changeOrderBody({ number: 'SD', createdBy: PM }));
  await h.desk.send('cco', 'CO-SD', BOTH);
  const refusal = {
    code: 'separation_of_duties',
    message: expect.stringContaining('Casey Both sent commitment change order CO-SD for this round, so cannot also accept it'),
  };
  await expect(h.desk.accept('cco', 'CO-SD', { by: BOTH })).rejects.toMatchObject(refusal);
  await expect(h.desk.precheck('accept', 'cco', 'CO-SD', BOTH)).rejects.toMatchObject(refusal);
  await expect(h.desk.reject('cco', 'CO-SD', { by: BOTH, reason: 'mine' })).rejects.toMatchObject({ code: 'separation_of_duties' });

  const asSender = await h.desk.view('cco', 'CO-SD', BOTH);
  expect(asSender.erp.availableActions).toEqual(['retrieve']);
  expect(asSender.erp.unavailable.find((u) => u.action === 'accept')?.reasons).toEqual([expect.stringContaining('separation of duties')]);
  expect((await h.desk.view('cco', 'CO-SD', APPROVER)).erp.availableActions).toEqual(['accept', 'reject']);

  await h.desk.accept('cco', 'CO-SD', { by: APPROVER });
  const synced = await untilStatus(h, 'cco', 'CO-SD', 'Synced');
  expect(synced.history.map((e) => [e.action, e.by?.id, e.selfApproved])).toEqual([
    ['sent', BOTH, false],
    ['accepted', APPROVER, false],
    ['exported', undefined, false],
  ]);
});

test('a rejected change order can be voided by whoever may re-send it: out of every queue, never sent again', async () => {
  await h.intake.upsertChangeOrder('CO-V1', changeOrderBody({ number: 'V1' }));
  await h.desk.send('cco', 'CO-V1', PM);
  await expect(h.desk.void('cco', 'CO-V1', { by: PM })).rejects.toMatchObject({
    code: 'not_awaiting_decision',
    message: expect.stringContaining('Ready to Export, so it cannot be voided'),
  });
  await h.desk.reject('cco', 'CO-V1', { by: APPROVER, reason: 'Duplicate of CO-V0' });
  await expect(h.desk.void('cco', 'CO-V1', { by: ENGINEER })).rejects.toMatchObject({ code: 'permission_denied' });

  const voided = await h.desk.void('cco', 'CO-V1', { by: PM, reason: 'Duplicate' });
  expect(voided.erp).toMatchObject({ status: 'Voided', availableActions: [] });
  expect(voided.history.map((e) => [e.action, e.to, e.reason])).toEqual([
    ['sent', 'ReadyToExport', null],
    ['rejected', 'Rejected', 'Duplicate of CO-V0'],
    ['voided', 'Voided', 'Duplicate'],
  ]);
  await expect(h.desk.resend('cco', 'CO-V1', PM)).rejects.toMatchObject({ code: 'not_awaiting_decision' });
  await expect(h.desk.void('cco', 'CO-V1', { by: PM })).rejects.toMatchObject({ code: 'not_awaiting_decision' });
  expect(await h.db.erpRecord.count({ where: { itemRef: 'CO-V1', status: { in: ['Rejected', 'ReadyToExport', 'FailedToExport'] } } })).toBe(
    0,
  );
  await expect(h.desk.void('project', 'P-100', { by: PM })).rejects.toMatchObject({ code: 'not_supported' });
});

test('re-sending a change order needs the Commitments tool only; sending it needs Change Orders too', async () => {
  const commitmentsOnly = 'u-commitments-only';
  await h.intake.upsertUser(
    commitmentsOnly,
    UserBody.parse({
      name: 'Robin Subs',
      email: 'robin@example.com',
      permissions: [{ tool: 'Commitments', level: 'Admin', project: 'P-100' }],
    }),
  );
  await h.intake.upsertChangeOrder('CO-P1', changeOrderBody({ number: 'P1' }));
  await expect(h.desk.send('cco', 'CO-P1', commitmentsOnly)).rejects.toMatchObject({
    code: 'permission_denied',
    message: expect.stringContaining('Change Orders tool'),
  });
  await h.desk.send('cco', 'CO-P1', PM);
  await h.desk.reject('cco', 'CO-P1', { by: APPROVER, reason: 'Fix the title' });
  const resent = await h.desk.resend('cco', 'CO-P1', commitmentsOnly);
  expect(resent.erp.status).toBe('ReadyToExport');
});

test('the losing one of two racing decisions is told the winning decision, in words and in its facts', async () => {
  await h.intake.upsertChangeOrder('CO-R9', changeOrderBody({ number: 'R9' }));
  await h.desk.send('cco', 'CO-R9', PM);
  const results = await Promise.allSettled([
    h.desk.accept('cco', 'CO-R9', { by: APPROVER }),
    h.desk.reject('cco', 'CO-R9', { by: APPROVER_2, reason: 'Not this month' }),
  ]);
  const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  const won = results.findIndex((r) => r.status === 'fulfilled');
  const winner = won === 0 ? { action: 'accepted', by: 'Dana Lee' } : { action: 'rejected', by: 'Sam Ortiz' };
  expect(lost.reason).toMatchObject({ code: 'not_awaiting_decision', decision: winner });
  expect(lost.reason.message).toContain(winner.by);
  expect(lost.reason.message).not.toContain('Pat Morgan');
});

test('with ALLOW_SELF_APPROVAL a one-person office may decide its own round, and the history says it was self-approved', async () => {
  const office = new ApprovalDesk({
    db: h.db,
    client: h.client,
    taskQueue: h.taskQueue,
    ...TEST_RULES,
    allowSelfApproval: true,
    exportPolicy: FAST_EXPORT_POLICY,
    transport: h.sandbox,
  });
  await h.intake.upsertChangeOrder('CO-SA', changeOrderBody({ number: 'SA' }));
  await office.send('cco', 'CO-SA', BOTH);
  expect((await office.view('cco', 'CO-SA', BOTH)).erp.availableActions).toEqual(['retrieve', 'accept', 'reject']);
  await office.accept('cco', 'CO-SA', { by: BOTH });
  const synced = await untilStatus(h, 'cco', 'CO-SA', 'Synced');
  const accepted = synced.history.find((e) => e.action === 'accepted')!;
  expect(accepted).toMatchObject({ by: { id: BOTH }, selfApproved: true, message: expect.stringContaining('Self-approved') });
});

test('a look-alike change order with a number already sent on the commitment is refused at send, whatever its ref', async () => {
  await h.intake.upsertChangeOrder('CO-N1', changeOrderBody({ number: 'N1' }));
  await h.desk.send('cco', 'CO-N1', PM);
  // Another ref (lower case, or a Cyrillic С) carrying the same ERP number on the same commitment.
  for (const ref of ['co-n1', '\u0421O-N1']) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: 'N1' }));
    await expect(h.desk.send('cco', ref, PM)).rejects.toMatchObject({
      code: 'requirements_not_met',
      message: expect.stringContaining('ID Number N1 is already used on commitment SC-001 by change order CO-N1 (Ready to Export).'),
    });
    expect((await h.desk.view('cco', ref)).erp.availableActions).not.toContain('send');
  }
});

test('a change order reads only the siblings whose number could be its ERP id, and still finds every clash', async () => {
  for (const number of ['K1', 'K2']) {
    await h.intake.upsertChangeOrder(`CO-${number}`, changeOrderBody({ number }));
    await h.desk.send('cco', `CO-${number}`, PM);
  }
  // The typed ERP id in another letter case is K1's number.
  await h.intake.upsertChangeOrder('CO-K3', changeOrderBody({ number: 'K3', erpNumber: 'k1' }));
  const view = await h.desk.view('cco', 'CO-K3');
  expect(view.item.type === 'cco' && view.item.siblings.map((s) => s.ref)).toEqual(['CO-K1']);
  await expect(h.desk.send('cco', 'CO-K3', PM)).rejects.toMatchObject({
    message: expect.stringContaining('ID Number k1 is already used on commitment SC-001 by change order CO-K1 (Ready to Export).'),
  });
  // A look-alike letter (a full-width K) is the profile's to judge: the store hands over every sibling sent.
  await h.intake.upsertChangeOrder('CO-K4', changeOrderBody({ number: 'K4', erpNumber: '\uff2b2' }));
  const lookAlike = await h.desk.view('cco', 'CO-K4');
  expect(lookAlike.item.type === 'cco' && lookAlike.item.siblings.map((s) => s.ref)).toEqual(expect.arrayContaining(['CO-K1', 'CO-K2']));
  await expect(h.desk.send('cco', 'CO-K4', PM)).rejects.toMatchObject({
    message: expect.stringContaining('ID Number may hold only letters A–Z'),
  });
});
