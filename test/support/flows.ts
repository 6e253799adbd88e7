import type { ItemType } from '../../domain/item-types';
import { APPROVER, PM, changeOrderBody, commitmentBody, seedCompany } from './fixtures';
import { eventually, type Harness } from './harness';

export async function untilStatus(h: Harness, type: ItemType, ref: string, status: string) {
  return eventually(async () => {
    const view = await h.desk.view(type, ref);
    return view.erp.status === status && view;
  }, `${type} ${ref} to be ${status}`);
}

/** The company with project P-100 and commitment SC-001 already in the ERP, as a change order needs. */
export async function companyWithSyncedCommitment(h: Harness) {
  await seedCompany(h.intake);
  await h.desk.send('project', 'P-100', PM);
  await h.desk.accept('project', 'P-100', { by: APPROVER });
  await untilStatus(h, 'project', 'P-100', 'Synced');
  await h.intake.upsertCommitment('SC-001', commitmentBody());
  await h.desk.send('commitment', 'SC-001', PM);
  await h.desk.accept('commitment', 'SC-001', { by: APPROVER });
  await untilStatus(h, 'commitment', 'SC-001', 'Synced');
}

/** `count` change orders CO-<tag>1… (numbered <tag>1…), each sent to accounting; their refs. */
export async function sentChangeOrders(h: Harness, tag: string, count: number): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `CO-${tag}${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `${tag}${i + 1}` }));
    await h.desk.send('cco', ref, PM);
  }
  return refs;
}

/** Waits until every item is Synced, then checks each was accepted once and exported exactly once. */
export async function expectEachSyncedOnce(h: Harness, refs: string[], timeoutMs: number): Promise<void> {
  const synced = () => h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'Synced' } });
  await eventually(async () => (await synced()) === refs.length, 'every item Synced', timeoutMs);
  const records = await h.db.erpRecord.findMany({ where: { itemRef: { in: refs } }, include: { history: { orderBy: { id: 'asc' } } } });
  for (const record of records) expect(record.history.map((e) => e.action)).toEqual(['send', 'accept', 'exported']);
  const exports = await h.db.sandboxExport.groupBy({ by: ['itemRef'], where: { itemRef: { in: refs } }, _count: { _all: true } });
  expect(exports).toHaveLength(refs.length);
  expect(exports.every((e) => e._count._all === 1)).toBe(true);
}
