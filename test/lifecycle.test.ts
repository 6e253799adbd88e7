/**
 * The three ways a round ends, for every item type: send → accept → Synced; send → reject → re-send
 * → accept → Synced; send → retrieve → send → accept → Synced.
 */
import { approvalWorkflowId, ITEM_TYPES, type ItemType } from '../domain/item-types';
import { APPROVER, APPROVER_2, PM, changeOrderBody, commitmentBody, seedCompany } from './support/fixtures';
import { untilStatus } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';

let h: Harness;
let counter = 0;

beforeAll(async () => {
  h = await startHarness();
  await seedCompany(h.intake);
});

afterAll(() => h?.stop());

async function synced(type: ItemType, ref: string) {
  await h.desk.send(type, ref, PM);
  await h.desk.accept(type, ref, { by: APPROVER });
  return untilStatus(h, type, ref, 'Synced');
}

/** A fresh item of `type`, its parents already in the ERP. */
async function freshItem(type: ItemType): Promise<string> {
  counter += 1;
  const project = `P-${counter}`;
  await seedCompany(h.intake, project);
  if (type === 'project') return project;
  const commitment = `SC-${counter}`;
  await synced('project', project);
  await h.intake.upsertCommitment(commitment, commitmentBody({ project, number: commitment }));
  if (type === 'commitment') return commitment;
  await synced('commitment', commitment);
  const co = `CO-${counter}`;
  await h.intake.upsertChangeOrder(co, changeOrderBody({ commitment, number: String(counter) }));
  return co;
}

async function roundResult(type: ItemType, ref: string) {
  return h.client.workflow.getHandle(approvalWorkflowId(type, ref)).result();
}

describe.each(ITEM_TYPES)('a %s', (type) => {
  test('is sent, accepted and exported once, with its history, search attributes and summary', async () => {
    const ref = await freshItem(type);
    const sent = await h.desk.send(type, ref, PM);
    expect(sent.erp).toMatchObject({ status: 'ReadyToExport', locked: true, round: 1 });

    await h.desk.accept(type, ref, { by: APPROVER, description: 'Checked against the budget' });
    const view = await untilStatus(h, type, ref, 'Synced');
    expect(view.erp.erpId).toMatch(/^SBX-/);
    expect(view.history.map((e) => [e.action, e.by?.name ?? null, e.to])).toEqual([
      ['sent', 'Pat Morgan', 'ReadyToExport'],
      ['accepted', 'Dana Lee', 'Exporting'],
      ['exported', null, 'Synced'],
    ]);
    expect(view.history[1]?.reason).toBe('Checked against the budget');

    const exports = await h.sandbox.exportsFor(ref);
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ idempotencyKey: `erp:${type}:${ref}#1`, erpId: view.erp.erpId, calls: 1 });

    expect(await roundResult(type, ref)).toMatchObject({ status: 'Synced', erpId: view.erp.erpId });
    const description = await h.client.workflow.getHandle(approvalWorkflowId(type, ref)).describe();
    expect(description.searchAttributes).toMatchObject({
      ErpStatus: ['Synced'],
      ErpItemType: [type],
      ErpItemRef: [ref],
      ErpProject: [view.projectRef],
    });
    expect(await description.staticSummary()).toContain(`${ref} · ${view.title}`);
    expect(await h.db.notification.count({ where: { kind: 'synced', recipientId: PM, erpRecord: { itemRef: ref } } })).toBe(1);
  });

  test('is rejected with a reason, the creator is told, then re-sent (approvers told with the reason) and accepted', async () => {
    const ref = await freshItem(type);
    await h.desk.send(type, ref, PM);
    const rejected = await h.desk.reject(type, ref, { by: APPROVER, reason: 'Retainage terms missing' });
    expect(rejected.erp).toMatchObject({ status: 'Rejected', locked: false, lastRejectionReason: 'Retainage terms missing' });
    await roundResult(type, ref);

    const toCreator = await h.db.notification.findFirstOrThrow({ where: { kind: 'rejected', erpRecord: { itemRef: ref } } });
    expect(toCreator).toMatchObject({ audience: 'creator', recipientId: PM });
    expect(toCreator.payload).toMatchObject({ reason: 'Retainage terms missing', by: { name: 'Dana Lee' }, item: { ref } });

    // After a rejection only a re-send applies.
    await expect(h.desk.send(type, ref, PM)).rejects.toMatchObject({
      code: 'not_awaiting_decision',
      message: expect.stringContaining('resend'),
    });
    const resent = await h.desk.resend(type, ref, PM);
    expect(resent.erp).toMatchObject({ status: 'ReadyToExport', round: 2 });

    const notices = await eventually(async () => {
      const found = await h.db.notification.findMany({
        where: { kind: 'review-requested', erpRecord: { itemRef: ref } },
        orderBy: { id: 'asc' },
      });
      return found.length === 2 && found;
    }, 'both review requests');
    expect(notices[1]?.payload).toMatchObject({ resend: true, previousRejection: 'Retainage terms missing' });

    await h.desk.accept(type, ref, { by: APPROVER_2 });
    const view = await untilStatus(h, type, ref, 'Synced');
    expect(view.history.map((e) => e.action)).toEqual(['sent', 'rejected', 're-sent', 'accepted', 'exported']);
    expect(view.history[2]?.reason).toBe('Retainage terms missing');
    const exports = await h.sandbox.exportsFor(ref);
    expect(exports.map((e) => e.idempotencyKey)).toEqual([`erp:${type}:${ref}#2`]);
  });

  test('is retrieved by its creator, edited while unlocked, sent again and accepted', async () => {
    const ref = await freshItem(type);
    await h.desk.send(type, ref, PM);
    const retrieved = await h.desk.retrieve(type, ref, { by: PM });
    expect(retrieved.erp).toMatchObject({ status: 'Retrieved', locked: false });

    // Retrieval unlocks: the title can change now.
    if (type === 'project') await h.intake.upsertProject(ref, { name: 'Renamed project', number: 'RC-24', createdBy: PM });
    if (type === 'commitment')
      await h.intake.upsertCommitment(ref, commitmentBody({ project: retrieved.projectRef, number: ref, title: 'Renamed' }));
    if (type === 'cco')
      await h.intake.upsertChangeOrder(
        ref,
        changeOrderBody({
          commitment: (retrieved.item as { commitmentRef: string }).commitmentRef,
          number: String(counter),
          title: 'Renamed',
        }),
      );

    await h.desk.send(type, ref, PM);
    await h.desk.accept(type, ref, { by: APPROVER });
    const view = await untilStatus(h, type, ref, 'Synced');
    expect(view.title).toMatch(/^Renamed/);
    expect(view.history.map((e) => e.action)).toEqual(['sent', 'retrieved', 'sent', 'accepted', 'exported']);
    expect(await h.sandbox.exportsFor(ref)).toHaveLength(1);
  });
});

test('a change order is exported with the modifications of one contract line summed, dated by its creation', async () => {
  const ref = await freshItem('cco');
  await synced('cco', ref);
  const [exported] = await h.sandbox.exportsFor(ref);
  const view = await h.desk.view('cco', ref);
  const commitment = await h.desk.view('commitment', (view.item as { commitmentRef: string }).commitmentRef);
  expect(exported?.payload).toMatchObject({
    record: 'commitment_change_order',
    commitment: commitment.erp.erpId,
    vendor: 'SRC100',
    commitmentDate: '2026-11-02',
    amount: '4250.25',
    items: [
      { contractLineItem: 1, costCode: '03-300', amount: '2250.25' },
      { contractLineItem: 2, costCode: '03-300', amount: '2000.00' },
    ],
  });
});
