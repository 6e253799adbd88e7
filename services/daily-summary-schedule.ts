/**
 * The daily summary's Temporal Schedule, created at start or brought in line with DAILY_SUMMARY_TIME
 * and TZ when they changed. Operators see it under Schedules in the Temporal UI.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { DAILY_SUMMARY_SCHEDULE_ID, dailySummary } from '../workflows';

export interface DailySummarySettings {
  taskQueue: string;
  /** HH:MM, 24-hour. */
  time: string;
  timeZone: string;
}

export async function ensureDailySummarySchedule(client: Client, settings: DailySummarySettings) {
  const [hour = 8, minute = 0] = settings.time.split(':').map(Number);
  const spec: ScheduleSpec = {
    calendars: [{ hour, minute, comment: `Daily at ${settings.time} ${settings.timeZone}` }],
    timezone: settings.timeZone,
  };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: dailySummary,
    args: [settings.timeZone],
    taskQueue: settings.taskQueue,
    workflowId: DAILY_SUMMARY_SCHEDULE_ID,
    staticSummary: 'ERP Integrations daily summary to the accounting approvers',
  };
  try {
    return await client.schedule.create({
      scheduleId: DAILY_SUMMARY_SCHEDULE_ID,
      spec,
      action,
      // A summary missed while everything was down is still worth sending within the hour.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(DAILY_SUMMARY_SCHEDULE_ID);
    await handle.update((previous) => ({ ...previous, spec, action }));
    return handle;
  }
}
