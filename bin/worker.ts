/**
 * A worker process: runs the approval workflows and activities on TEMPORAL_TASK_QUEUE. Scale out by
 * running more of these against the same Temporal namespace and database.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ensureDailySummarySchedule } from '../services/daily-summary-schedule';
import { emailWords, erpSetup, erpTransport, notifier, temporalAddress, temporalConnection } from '../runtime/components';
import { loadConfig } from '../runtime/config';
import { runMain } from '../runtime/startup';
import { openDatabase } from '../runtime/database';
import { erpApprovalsPlugin } from '../worker/plugin';

runMain(async () => {
  const config = loadConfig();
  const db = openDatabase(config);
  const connection = await NativeConnection.connect(temporalConnection(config));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    plugins: [
      erpApprovalsPlugin({
        db,
        ...erpSetup(config),
        transport: erpTransport(config, db),
        notifier: notifier(config, db),
        ...(config.WORKFLOW_BUNDLE_PATH ? { workflows: { bundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } } : {}),
      }),
    ],
  });
  // The schedule belongs to whoever runs the workflows; creating it again only brings it up to date.
  const client = new Client({ connection: await Connection.connect(temporalConnection(config)), namespace: config.TEMPORAL_NAMESPACE });
  await ensureDailySummarySchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, time: config.DAILY_SUMMARY_TIME, timeZone: config.TZ });
  await client.connection.close();
  console.log(
    `Worker polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${temporalAddress(config)} (ERP: ${config.ERP_CONNECTOR}, ${config.ERP_PROFILE}; email ${emailWords(config)})`,
  );
  // The worker stops cleanly on SIGINT/SIGTERM, finishing what it holds.
  await worker.run();
  await connection.close();
  await db.$disconnect();
});
