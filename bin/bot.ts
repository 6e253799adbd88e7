/**
 * The Slack bot as its own process: /slack/events over HTTP on PORT (with the intake API beside it
 * when API_TOKEN is set), or Socket Mode when SLACK_APP_TOKEN is set.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporalConnection } from '../runtime/components';
import { listenHttp, SLACK_SETUP_HINT, slackBot } from '../runtime/servers';
import { ConfigError, loadConfig, publicHost } from '../runtime/config';
import { onShutdown, runMain } from '../runtime/startup';
import { openDatabase } from '../runtime/database';

runMain(async () => {
  const config = loadConfig();
  const db = openDatabase(config);
  const connection = await Connection.connect(temporalConnection(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const bot = slackBot(config, db, client);
  if (!bot) throw new ConfigError([SLACK_SETUP_HINT]);
  // Without API_TOKEN the API answers 401 to everyone: only Slack is served.
  const server = await listenHttp(config, db, client, config.API_TOKEN ?? randomBytes(24).toString('hex'), bot);
  if (!bot.receiver) await bot.app.start();
  console.log(
    bot.receiver ? `Slack bot listening on http://${publicHost(config)}:${config.PORT}/slack/events` : 'Slack bot connected in Socket Mode',
  );
  onShutdown(async () => {
    if (!bot.receiver) await bot.app.stop();
    await new Promise((resolve) => server.close(resolve));
    await connection.close();
    await db.$disconnect();
  });
});
