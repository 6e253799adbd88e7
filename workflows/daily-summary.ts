/**
 * The ERP Integrations daily summary, started by a Temporal Schedule at DAILY_SUMMARY_TIME in the
 * company's time zone: every accounting approver gets what waits for accounting.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { sendDailySummaries } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export const DAILY_SUMMARY_SCHEDULE_ID = 'erp-daily-summary';

export async function dailySummary(timeZone = 'UTC') {
  const info = workflowInfo();
  const date = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(info.startTime);
  return sendDailySummaries({ runKey: `${info.workflowId}/${info.runId}`, date });
}
