/** Another team adds the plugin to its own Worker, beside its own workflows and activities, through the package's entry point. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  ConfigError,
  createErpApprovals,
  ensureSearchAttributes,
  ErpApprovalsClient,
  erpApprovalsPlugin,
  WORKFLOWS_PATH,
  type DecisionRequest,
  type ItemType,
} from '../index';
import { combinedWorkflowsPath } from '../worker/plugin';
import { Intake } from '../store/intake';
import { APPROVER, PM, seedCompany } from './support/fixtures';
import { FAST_EXPORT_POLICY, eventually, freshDatabaseUrl, startTestTemporal } from './support/harness';

const HOST_WORKFLOWS = path.join(__dirname, 'support', 'host-team', 'workflows.ts');

test("the plugin runs our rounds on another team's Worker that keeps its own workflows and activities", async () => {
  // A namespace as a host has it: none of our search attributes yet.
  const temporal = await startTestTemporal(undefined, { bare: true });
  const erp = createErpApprovals({ DATABASE_URL: await freshDatabaseUrl(), TEMPORAL_ADDRESS: temporal.address, DATABASE_POOL_SIZE: 4 });
  const taskQueue = `host-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: temporal.address });
  const clientConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: clientConnection });

  try {
    expect(await ensureSearchAttributes(clientConnection, 'default')).toEqual(['ErpStatus', 'ErpItemType', 'ErpItemRef', 'ErpProject']);
    expect(await ensureSearchAttributes(clientConnection, 'default')).toEqual([]);

    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: HOST_WORKFLOWS,
      activities: { stampInvoice: async (id: string) => `stamped ${id}` },
      plugins: [erpApprovalsPlugin(erp)],
    });
    const approvals = new ErpApprovalsClient(erp, { client, taskQueue, exportPolicy: FAST_EXPORT_POLICY });

    await worker.runUntil(async () => {
      expect(await client.workflow.execute('invoiceIntake', { taskQueue, workflowId: `invoice-${randomUUID()}`, args: ['INV-1'] })).toBe(
        'stamped INV-1',
      );

      // The client's intake checks input as the intake API does, naming each problem.
      await expect(approvals.intake.upsertProject('P 100', { name: '', createdBy: PM })).rejects.toThrow(
        'Invalid project reference: must not contain spaces, slashes, control or invisible characters',
      );
      await expect(approvals.intake.upsertProject('P-100', { name: 'Riverside', createdBy: PM, createdAt: 'yesterday' })).rejects.toThrow(
        /^Invalid project: createdAt: /,
      );
      // Only the arguments' own data counts: fields inherited through a prototype are not read.
      await expect(
        approvals.intake.upsertUser(
          'u-proto',
          Object.assign(Object.create({ canPushToAccounting: true }) as object, { name: 'Proto', email: 'proto@example.com' }),
        ),
      ).resolves.toMatchObject({ canPushToAccounting: false });
      await expect(approvals.accept('project', 'P-100', Object.create({ by: APPROVER }) as DecisionRequest)).rejects.toThrow(
        /^Invalid request: by: /,
      );
      await seedCompany(new Intake(erp.db));
      await approvals.send('project', 'P-100', PM);
      // Every argument is checked as the API checks it, before anything is decided.
      await expect(approvals.send('invoice' as ItemType, 'P-100', PM)).rejects.toThrow('Invalid item type');
      await expect(approvals.view('project', undefined as unknown as string)).rejects.toThrow('Invalid reference');
      await expect(approvals.accept('project', 'P-100', { by: APPROVER, dryRun: true } as DecisionRequest)).rejects.toThrow(
        /^Invalid request: .*dryRun/,
      );
      await expect(approvals.accept('project', 'P-100', { by: 7 } as unknown as DecisionRequest)).rejects.toThrow(/^Invalid request: by: /);
      await expect(approvals.acceptMany([], { by: APPROVER })).rejects.toThrow(/^Invalid items: /);
      await expect(approvals.reject('project', 'P-100', { by: APPROVER, reason: '  ' })).rejects.toThrow(/^Invalid rejection: reason: /);
      await expect(approvals.accept('project', 'P-100', { by: APPROVER, round: 99 })).rejects.toThrow(
        'Project P-100 has had no round 99: it is in round 1.',
      );
      await approvals.accept('project', 'P-100', { by: APPROVER, round: 1 });
      await eventually(async () => (await approvals.view('project', 'P-100')).erp.status === 'Synced', 'the project to sync');
      // The round set the attributes the helper added: an operator finds it by them.
      await eventually(
        async () => (await client.workflow.count(`ErpItemRef = 'P-100' AND ErpStatus = 'Synced'`)).count === 1,
        'the round to be found by its search attributes',
      );
      // A host's replay test takes the plugin as its Worker does, and replays our round beside its own workflows.
      let replayed = 0;
      for await (const { workflowId } of client.workflow.list({ query: `ErpItemRef = 'P-100'` })) {
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        await Worker.runReplayHistory({ workflowsPath: HOST_WORKFLOWS, plugins: [erpApprovalsPlugin(erp)] }, history, workflowId);
        replayed += 1;
      }
      expect(replayed).toBe(1);
    });
  } finally {
    await connection.close();
    await clientConnection.close();
    await erp.close();
    await temporal.teardown();
  }
});

test('a Worker with a prebuilt bundle is told how to include ours, not started without them', () => {
  const plugin = erpApprovalsPlugin({ ...createErpApprovals({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' }) });
  expect(() => plugin.configureWorker({ taskQueue: 'q', workflowBundle: { codePath: '/bundle.js' } })).toThrow(
    /prebuilt workflowBundle.*bundleWorkflowCode.*'included'/,
  );
  const included = erpApprovalsPlugin({
    ...createErpApprovals({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' }),
    workflows: 'included',
  });
  expect(included.configureWorker({ taskQueue: 'q', workflowBundle: { codePath: '/bundle.js' } })).toMatchObject({
    workflowBundle: { codePath: '/bundle.js' },
  });
  expect(included.configureWorker({ taskQueue: 'q' }).workflowsPath).toBeUndefined();
  // Activities merge by name: one of the Worker's own named as ours would be replaced unseen.
  expect(() => plugin.configureWorker({ taskQueue: 'q', activities: { notify: async () => {}, stampInvoice: async () => {} } })).toThrow(
    'erp-approvals: the Worker already has activities named notify, which the approval rounds use; rename yours.',
  );
  // Alone, ours; beside the Worker's own file, one entry exporting both.
  expect(plugin.configureWorker({ taskQueue: 'q' }).workflowsPath).toBe(WORKFLOWS_PATH);
  const combined = plugin.configureWorker({ taskQueue: 'q', workflowsPath: HOST_WORKFLOWS }).workflowsPath as string;
  expect(combined).toBe(combinedWorkflowsPath(HOST_WORKFLOWS));
  expect(fs.readFileSync(combined, 'utf8')).toContain(`export * from ${JSON.stringify(HOST_WORKFLOWS)}`);
  expect(fs.readFileSync(combined, 'utf8')).toContain(`export { approvalRound, dailySummary } from ${JSON.stringify(WORKFLOWS_PATH)}`);
  // The bundler asks again with the module already written: it is not wrapped twice.
  expect(combinedWorkflowsPath(combined)).toBe(combined);
});

test('the factory checks settings as the product does, every problem at once, and wants a database of its own', () => {
  expect(() => createErpApprovals({ DATABASE_URL: 'postgresql://x@h/d', ERP_CONNECTOR: 'http', DAILY_SUMMARY_TIME: '25:00' })).toThrow(
    ConfigError,
  );
  try {
    createErpApprovals({ DATABASE_URL: 'postgresql://x@h/d', ERP_CONNECTOR: 'http', DAILY_SUMMARY_TIME: '25:00' });
  } catch (err) {
    expect((err as ConfigError).problems).toEqual([
      'DAILY_SUMMARY_TIME: DAILY_SUMMARY_TIME must be HH:MM (24-hour)',
      'ERP_HTTP_URL: ERP_HTTP_URL is required when ERP_CONNECTOR=http',
      'ERP_HTTP_SECRET: ERP_HTTP_SECRET is required when ERP_CONNECTOR=http',
    ]);
  }
  expect(() => createErpApprovals({ TEMPORAL_TASK_QUEUE: 'platform' })).toThrow(/DATABASE_URL is required/);
  expect(() => createErpApprovals({ DATABASE_URL: 'postgresql://x@h/d', ERP_CONECTOR: 'http' })).toThrow('ERP_CONECTOR: not a setting');
  // The host's own PORT or API_TOKEN are its business: only the product's servers read ours.
  expect(() => createErpApprovals({ DATABASE_URL: 'postgresql://x@h/d', PORT: 'http', API_TOKEN: 'short', HOST: '' })).not.toThrow();
  const erp = createErpApprovals({
    DATABASE_URL: 'postgresql://x@h/d',
    ALLOW_SELF_APPROVAL: true,
    DATABASE_POOL_SIZE: 3,
    ERP_PROFILE: 'sage300cre',
  });
  expect(erp.allowSelfApproval).toBe(true);
  expect(erp.config.DATABASE_POOL_SIZE).toBe(3);
  expect(erp.config.TEMPORAL_TASK_QUEUE).toBe('erp-approvals');
  expect(erp.profile.id).toBe('sage300cre');
});
