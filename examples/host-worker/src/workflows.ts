// The team's own workflows. The ERP approval workflows are bundled beside these by the plugin.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { stampInvoice } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export async function invoiceIntake(invoiceId: string): Promise<string> {
  return await stampInvoice(invoiceId);
}
