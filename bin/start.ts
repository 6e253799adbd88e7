/**
 * Everything in one process for a newcomer or a small office: an embedded PostgreSQL (unless
 * DATABASE_URL is set), migrations, an embedded Temporal dev server with its UI (unless
 * TEMPORAL_ADDRESS is set), the worker, the API and the Slack bot. Ctrl-C stops it all.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { emailWords, temporalConnection } from '../runtime/components';
import { listenHttp, SLACK_SETUP_HINT, slackBot } from '../runtime/servers';
import { loadConfig, publicHost } from '../runtime/config';
import { createDatabase, displayUrl } from '../store/database';
import { databaseUrl, embeddedPostgres } from '../runtime/database';
import { startEmbeddedTemporal } from '../runtime/embedded-temporal';
import { onShutdown, runMain } from '../runtime/startup';
import { applyMigrations, createErpApprovals, ensureDailySummarySchedule, erpApprovalsPlugin, settingsFromEnvironment } from '../index';

runMain(async () => {
  const config = loadConfig();
  // We stop the worker ourselves, after the API and before the embedded server.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });

  // Without DATABASE_URL, an embedded PostgreSQL with its data under ./data/postgres: started first, stopped last.
  const embeddedDb = config.DATABASE_URL ? undefined : embeddedPostgres(config);
  await embeddedDb?.start();
  const url = databaseUrl(config);
  if (embeddedDb) await createDatabase(url);
  await applyMigrations(url);
  const embedded = config.TEMPORAL_ADDRESS
    ? undefined
    : await startEmbeddedTemporal({
        dataDir: 'data',
        namespace: config.TEMPORAL_NAMESPACE,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
      });
  const address = embedded?.address ?? config.TEMPORAL_ADDRESS;

  // The worker's parts are built as a host's Worker builds them, from the package's entry point.
  const erp = createErpApprovals({ ...settingsFromEnvironment(), DATABASE_URL: url });
  const { db } = erp;
  const nativeConnection = await NativeConnection.connect(temporalConnection(config, address));
  const connection = await Connection.connect(temporalConnection(config, address));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    plugins: [erpApprovalsPlugin(erp)],
  });
  const running = worker.run();
  await ensureDailySummarySchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, time: config.DAILY_SUMMARY_TIME, timeZone: config.TZ });

  const apiToken = config.API_TOKEN ?? randomBytes(24).toString('hex');
  const bot = slackBot(config, db, client);
  const server = await listenHttp(config, db, client, apiToken, bot);
  if (bot && !bot.receiver) await bot.app.start();
  const slackLine = !bot
    ? `  Slack         ${SLACK_SETUP_HINT}`
    : bot.receiver
      ? `  Slack         http://${publicHost(config)}:${config.PORT}/slack/events (Request URL for events, interactivity and /erp); review requests go to ${config.SLACK_APPROVERS_CHANNEL}`
      : `  Slack         Socket Mode; review requests go to ${config.SLACK_APPROVERS_CHANNEL}`;

  const lines = [
    'ERP accounting approval is running.',
    `  Temporal UI   ${embedded ? embedded.uiUrl : `(your cluster at ${address})`}  namespace "${config.TEMPORAL_NAMESPACE}", task queue "${config.TEMPORAL_TASK_QUEUE}"`,
    `  API           http://${publicHost(config)}:${config.PORT}/api/v1   (OpenAPI at /api/v1/openapi.json, health at /healthz)`,
    `  API token     ${config.API_TOKEN ? '(from API_TOKEN)' : `${apiToken}   (generated for this run; set API_TOKEN to keep one)`}`,
    `  Database      ${embeddedDb ? `embedded PostgreSQL, data in ${embeddedDb.dataDir}  (${displayUrl(url)})` : displayUrl(url)}`,
    `  Daily summary ${config.DAILY_SUMMARY_TIME} ${config.TZ} to the accounting approvers (Temporal schedule "erp-daily-summary")`,
    `  ERP           ${config.ERP_CONNECTOR} connector, ${config.ERP_PROFILE} rules`,
    slackLine,
    `  Email         ${emailWords(config)}`,
    '  Stop with Ctrl-C.',
  ];
  console.log(lines.join('\n'));

  onShutdown(async (signal) => {
    console.log(
      `\n${signal}: stopping the API, the worker${embedded ? ' and the Temporal dev server' : ''}${embeddedDb ? ', then the embedded PostgreSQL' : ''}…`,
    );
    await new Promise((resolve) => server.close(resolve));
    if (bot && !bot.receiver) await bot.app.stop();
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
    await embedded?.stop();
    await erp.close();
    await embeddedDb?.stop();
    console.log('Stopped.');
  });
});
