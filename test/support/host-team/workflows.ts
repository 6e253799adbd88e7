// Another team's workflows file: its own workflow, and ours re-exported into the same bundle.
import { proxyActivities } from '@temporalio/workflow';

export * from '../../../workflows';

const { stampInvoice } = proxyActivities<{ stampInvoice(id: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function invoiceIntake(id: string): Promise<string> {
  return stampInvoice(id);
}
