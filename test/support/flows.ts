import type { ItemType } from '../../domain/item-types';
import { APPROVER, PM, commitmentBody, seedCompany } from './fixtures';
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
