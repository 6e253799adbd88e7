import { approvalWorkflowId } from '../domain/item-types';
import { APPROVER, APPROVER_2, PM, changeOrderBody, commitmentBody, seedCompany } from './support/fixtures';
import { eventually, startHarness, type Harness } from './support/harness';
import type { ItemType } from '../domain/item-types';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await seedCompany(h.intake);
});

afterAll(() => h?.stop());

async function untilStatus(type: ItemType, ref: string, status: string) {
  return eventually(async () => {
    const view = await h.desk.view(type, ref);
    return view.erp.status === status && view;
  }, `${type} ${ref} to be ${status}`);
}

async function syncProject() {
  if ((await h.desk.view('project', 'P-100')).erp.status === 'Synced') return;
  await h.desk.send('project', 'P-100', PM);
  await h.desk.accept('project', 'P-100', { by: APPROVER });
  await untilStatus('project', 'P-100', 'Synced');
}

test('a project is sent, accepted and exported once, with its history and search attributes', async () => {
  const sent = await h.desk.send('project', 'P-100', PM);
  expect(sent.erp.status).toBe('ReadyToExport');
  expect(sent.erp.locked).toBe(true);

  const accepted = await h.desk.accept('project', 'P-100', { by: APPROVER, description: 'New job for Q1' });
  expect(['Exporting', 'Synced']).toContain(accepted.erp.status);

  const synced = await untilStatus('project', 'P-100', 'Synced');
  expect(synced.erp.erpId).toMatch(/^SBX-/);
  expect(synced.history.map((e) => [e.action, e.by?.name ?? null, e.to])).toEqual([
    ['sent', 'Pat Morgan', 'ReadyToExport'],
    ['accepted', 'Dana Lee', 'Exporting'],
    ['exported', null, 'Synced'],
  ]);
  expect(synced.history[1]?.reason).toBe('New job for Q1');

  const exports = await h.sandbox.exportsFor('P-100');
  expect(exports).toHaveLength(1);
  expect(exports[0]?.payload).toMatchObject({ record: 'job', job: 'RC-24', description: 'Riverside Clinic' });

  const handle = h.client.workflow.getHandle(approvalWorkflowId('project', 'P-100'));
  expect(await handle.result()).toMatchObject({ status: 'Synced', erpId: synced.erp.erpId });
  const description = await handle.describe();
  expect(description.searchAttributes).toMatchObject({ ErpStatus: ['Synced'], ErpItemType: ['project'], ErpItemRef: ['P-100'], ErpProject: ['P-100'] });
  expect(await description.staticSummary()).toContain('project P-100 · Riverside Clinic');
});

test('a commitment is rejected with a reason, the creator is told, then re-sent and accepted', async () => {
  await syncProject();
  await h.intake.upsertCommitment('SC-001', commitmentBody());

  await h.desk.send('commitment', 'SC-001', PM);
  const rejected = await h.desk.reject('commitment', 'SC-001', { by: APPROVER, reason: 'Retainage terms missing' });
  expect(rejected.erp.status).toBe('Rejected');
  expect(rejected.erp.locked).toBe(false);
  expect(rejected.erp.lastRejectionReason).toBe('Retainage terms missing');

  const toCreator = await eventually(
    () => h.db.notification.findFirst({ where: { kind: 'rejected', recipientId: PM } }).then((n) => n ?? undefined),
    'the rejection notice to the creator',
  );
  expect(toCreator.payload).toMatchObject({ reason: 'Retainage terms missing', by: { name: 'Dana Lee' }, item: { ref: 'SC-001' } });

  // Sending again is a re-send, and only a re-send.
  await expect(h.desk.send('commitment', 'SC-001', PM)).rejects.toMatchObject({ code: 'not_awaiting_decision' });
  const resent = await h.desk.resend('commitment', 'SC-001', PM);
  expect(resent.erp.status).toBe('ReadyToExport');
  expect(resent.erp.round).toBe(2);

  const toApprovers = await eventually(
    async () =>
      (await h.db.notification.findMany({ where: { kind: 'review-requested', audience: 'approvers' } })).find(
        (n) => (n.payload as { resend?: boolean }).resend === true,
      ),
    'the re-send notice to approvers',
  );
  expect(toApprovers.payload).toMatchObject({ previousRejection: 'Retainage terms missing', item: { ref: 'SC-001' } });

  await h.desk.accept('commitment', 'SC-001', { by: APPROVER_2 });
  const synced = await untilStatus('commitment', 'SC-001', 'Synced');
  expect(synced.history.map((e) => e.action)).toEqual(['sent', 'rejected', 're-sent', 'accepted', 'exported']);
  expect(synced.history[2]?.reason).toBe('Retainage terms missing');
  expect(await h.sandbox.exportsFor('SC-001')).toHaveLength(1);
  // The round finishes once its notices are delivered.
  await h.client.workflow.getHandle(approvalWorkflowId('commitment', 'SC-001')).result();
  expect(await h.db.notification.count({ where: { kind: 'synced', recipientId: PM, erpRecord: { itemRef: 'SC-001' } } })).toBe(1);
});

test('a change order is retrieved, sent again and exported with modifications of one line summed', async () => {
  await syncProject();
  if ((await h.desk.view('commitment', 'SC-001')).erp.status !== 'Synced') throw new Error('needs the commitment synced');
  await h.intake.upsertChangeOrder('CO-001', changeOrderBody());

  await h.desk.send('cco', 'CO-001', PM);
  const retrieved = await h.desk.retrieve('cco', 'CO-001', { by: PM });
  expect(retrieved.erp.status).toBe('Retrieved');
  expect(retrieved.erp.locked).toBe(false);

  // Unlocked again: the project manager fixes the title, then sends it.
  await h.intake.upsertChangeOrder('CO-001', changeOrderBody({ title: 'Extra rebar at grid C/D' }));
  await h.desk.send('cco', 'CO-001', PM);
  await h.desk.accept('cco', 'CO-001', { by: APPROVER });
  const synced = await untilStatus('cco', 'CO-001', 'Synced');
  expect(synced.history.map((e) => e.action)).toEqual(['sent', 'retrieved', 'sent', 'accepted', 'exported']);

  const [exported] = await h.sandbox.exportsFor('CO-001');
  const commitment = await h.desk.view('commitment', 'SC-001');
  expect(exported?.payload).toMatchObject({
    record: 'commitment_change_order',
    id: '001',
    commitment: commitment.erp.erpId,
    description: 'Extra rebar at grid C/D',
    commitmentDate: '2026-11-02',
    amount: '4250.25',
    items: [
      { contractLineItem: 1, costCode: '03-300', amount: '2250.25' },
      { contractLineItem: 2, costCode: '03-300', amount: '2000.00' },
    ],
  });
});
