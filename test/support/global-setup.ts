/**
 * Once per test run: the workflow bundle, and a template SQLite database migrated by the Prisma CLI
 * exactly as `npm start` does. (Each test file starts its own Temporal dev server: workflow IDs are
 * unique per namespace, and files use the same item refs.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/plugin';

declare global {
  // eslint-disable-next-line no-var
  var __erpTestDir: string | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-approvals-test-'));

  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);

  const templateDb = path.join(dir, 'template.db');
  execFileSync(path.join(process.cwd(), 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: `file:${templateDb}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_DB_TEMPLATE = templateDb;
  process.env.TEST_TMP_DIR = dir;
  globalThis.__erpTestDir = dir;
}
