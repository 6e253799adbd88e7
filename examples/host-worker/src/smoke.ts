// One pass through everything, in one process: the set-up a deployment runs, the Worker, the team's own
// workflow, and one ERP approval round from intake to Synced through the client-side API.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { applyMigrations, createErpApprovals, ensureDailySummarySchedule, ensureSearchAttributes, ErpApprovalsClient } from 'erp-approvals';
import { createWorker } from './worker';

async function main() {
  const erp = createErpApprovals();
  const { config } = erp;
  const address = config.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const applied = await applyMigrations(config.DATABASE_URL!);
  console.log(`migrations applied: ${applied.length}`);

  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  console.log(
    `search attributes added: ${(await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE)).join(', ') || 'none'}`,
  );
  await ensureDailySummarySchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, time: config.DAILY_SUMMARY_TIME, timeZone: config.TZ });

  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker(connection, erp);
  const approvals = new ErpApprovalsClient(erp, { client });

  await worker.runUntil(async () => {
    const stamped = await client.workflow.execute('invoiceIntake', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `invoice-${randomUUID()}`,
      args: ['INV-7'],
    });
    console.log(`own workflow: ${stamped}`);

    await approvals.intake.upsertUser('pm-1', {
      name: 'Pat Morgan',
      email: 'pat@example.com',
      permissions: [{ tool: 'Admin', level: 'Admin', project: 'P-7' }],
    });
    await approvals.intake.upsertUser('ap-1', {
      name: 'Alex Price',
      email: 'alex@example.com',
      canPushToAccounting: true,
      permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }],
    });
    await approvals.intake.upsertProject('P-7', { name: 'Harbor Clinic', number: 'HC-7', createdBy: 'pm-1' });
    const sent = await approvals.send('project', 'P-7', 'pm-1');
    console.log(`sent: ${sent.erp.status}`);
    await approvals.accept('project', 'P-7', { by: 'ap-1' });
    for (let waited = 0; (await approvals.view('project', 'P-7')).erp.status !== 'Synced'; waited += 200) {
      if (waited > 60_000) throw new Error('the project did not reach Synced within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const view = await approvals.view('project', 'P-7');
    console.log(`approval round: ${view.erp.status} as ${view.erp.erpId}`);
  });
  await connection.close();
  await clientConnection.close();
  await erp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
