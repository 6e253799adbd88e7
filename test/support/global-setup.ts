/**
 * Once per test run: a real Temporal dev server (with our search attributes), the workflow bundle,
 * and a template SQLite database migrated by the Prisma CLI exactly as `npm start` does.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { findTemporalCli } from '../../platform/temporal-cli';
import { ErpItemRefKey, ErpItemTypeKey, ErpProjectKey, ErpStatusKey } from '../../workflows/search-attributes';
import { WORKFLOWS_PATH } from '../../worker/plugin';

declare global {
  // eslint-disable-next-line no-var
  var __erpTestEnv: { env: TestWorkflowEnvironment; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-approvals-test-'));

  const cli = findTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      searchAttributes: [ErpStatusKey, ErpItemTypeKey, ErpItemRefKey, ErpProjectKey],
      ui: false,
    },
  });

  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);

  const templateDb = path.join(dir, 'template.db');
  execFileSync(path.join(process.cwd(), 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: `file:${templateDb}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  process.env.TEST_TEMPORAL_ADDRESS = env.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_DB_TEMPLATE = templateDb;
  process.env.TEST_TMP_DIR = dir;
  globalThis.__erpTestEnv = { env, dir };
}
