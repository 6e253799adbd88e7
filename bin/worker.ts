/**
 * A worker process: runs the approval workflows and activities on TEMPORAL_TASK_QUEUE. Scale out by
 * running more of these against the same Temporal namespace and database. It is built from the
 * package's entry point, as another team's Worker would be.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createErpApprovals, ensureDailySummarySchedule, erpApprovalsPlugin, settingsFromEnvironment } from '../index';
import { emailWords, temporalAddress, temporalConnection } from '../runtime/components';
import { databaseUrl } from '../runtime/database';
import { loadConfig } from '../runtime/config';
import { runMain } from '../runtime/startup';

runMain(async () => {
  // Beside `npm start`, the worker finds its embedded database as the other processes do.
  const erp = createErpApprovals({ ...settingsFromEnvironment(), DATABASE_URL: databaseUrl(loadConfig()) });
  const { config } = erp;
  const connection = await NativeConnection.connect(temporalConnection(config));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    plugins: [
      erpApprovalsPlugin({
        ...erp,
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
  await erp.close();
});
