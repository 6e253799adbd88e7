/** The intake API as its own process (scale it separately from the workers). */
import { Client, Connection } from '@temporalio/client';
import { temporalConnection } from '../runtime/components';
import { listenHttp } from '../runtime/servers';
import { ConfigError, loadConfig, publicHost } from '../runtime/config';
import { onShutdown, runMain } from '../runtime/startup';
import { openDatabase } from '../runtime/database';

runMain(async () => {
  const config = loadConfig();
  if (!config.API_TOKEN) throw new ConfigError(['API_TOKEN: API_TOKEN is required for the API (at least 16 characters)']);
  const db = openDatabase(config);
  const connection = await Connection.connect(temporalConnection(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const server = await listenHttp(config, db, client, config.API_TOKEN);
  console.log(
    `API listening on http://${publicHost(config)}:${config.PORT}/api/v1 (described at /api/v1/openapi.json, health at /healthz)`,
  );
  onShutdown(async () => {
    await new Promise((resolve) => server.close(resolve));
    await connection.close();
    await db.$disconnect();
  });
});
