/**
 * Once per test run: the compiled worker (when a source is newer), the workflow bundle, and a template database migrated exactly as `npm start`
 * migrates (test/support/databases.ts copies it for each harness). Each test file starts its own
 * Temporal dev server: workflow IDs are unique per namespace, and files use the same item refs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDatabase, withDatabase } from '../../store/database';
import { EmbeddedPostgres } from '../../runtime/embedded-postgres';
import { applyMigrations } from '../../store/migrations';
import { WORKFLOWS_PATH } from '../../worker/plugin';
import { DEFAULT_TEST_SERVER, serverAnswers } from './databases';
import { ensureBuilt, freePort } from './processes';

declare global {
  var __erpTestRun: { dir: string; server: string; prefix: string; embedded?: EmbeddedPostgres } | undefined;
}

async function databaseServer(dir: string): Promise<{ server: string; embedded?: EmbeddedPostgres }> {
  const wanted = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_SERVER;
  if (await serverAnswers(wanted)) return { server: wanted };
  if (process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL (${process.env.TEST_DATABASE_URL}) does not answer.`);
  const embedded = new EmbeddedPostgres({
    dir: path.join(dir, 'postgres'),
    port: await freePort(),
    settings: { fsync: 'off', max_connections: 300 },
  });
  await embedded.start();
  return { server: embedded.url(), embedded };
}

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-approvals-test-'));
  fs.chmodSync(dir, 0o755);

  // Worker processes run compiled, as `npm run worker` runs them.
  ensureBuilt();
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);

  const { server, embedded } = await databaseServer(dir);
  const prefix = `erp_test_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_template`;
  await createDatabase(withDatabase(server, template));
  await applyMigrations(withDatabase(server, template));

  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_DB_SERVER = server;
  process.env.TEST_DB_TEMPLATE = template;
  process.env.TEST_DB_PREFIX = prefix;
  process.env.TEST_TMP_DIR = dir;
  globalThis.__erpTestRun = { dir, server, prefix, embedded };
}
