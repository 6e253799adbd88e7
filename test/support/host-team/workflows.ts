// Another team's workflows file: its own workflow only. The plugin bundles ours beside it.
import { proxyActivities } from '@temporalio/workflow';

const { stampInvoice } = proxyActivities<{ stampInvoice(id: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function invoiceIntake(id: string): Promise<string> {
  return stampInvoice(id);
}

// A name of ours, taken by mistake: the plugin's bundle keeps ours under it.
export async function approvalRound(): Promise<never> {
  throw new Error("the host's own approvalRound ran in place of the approval round");
}
