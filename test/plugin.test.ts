/** Another team adds the plugin to its own Worker, beside its own workflows and activities. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { RecordingNotifier } from '../store/notifications';
import { SandboxErp } from '../connectors/sandbox';
import { erpProfile } from '../domain/erp-profiles';
import { ApprovalDesk } from '../services/approval-desk';
import { Intake } from '../store/intake';
import { createDb } from '../store/prisma';
import { erpApprovalsPlugin } from '../worker/plugin';
import { APPROVER, PM, seedCompany } from './support/fixtures';
import { FAST_EXPORT_POLICY, eventually, freshDatabaseUrl, startTestTemporal } from './support/harness';

test("the plugin runs our rounds on another team's Worker that keeps its own workflows and activities", async () => {
  const temporal = await startTestTemporal();
  const address = temporal.address;
  const db = createDb(await freshDatabaseUrl());
  const taskQueue = `host-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  const profile = erpProfile('sage300cre');
  const settings = { erpIdFromChangeOrderNumber: true };

  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: path.join(__dirname, 'support', 'host-team', 'workflows.ts'),
    activities: { stampInvoice: async (id: string) => `stamped ${id}` },
    plugins: [
      erpApprovalsPlugin({
        db,
        profile,
        settings,
        transport: new SandboxErp(db),
        notifier: new RecordingNotifier(db),
        workflows: 'reexported',
      }),
    ],
  });
  const desk = new ApprovalDesk({
    db,
    client,
    taskQueue,
    profile,
    settings,
    exportPolicy: FAST_EXPORT_POLICY,
    transport: new SandboxErp(db),
  });

  try {
    await worker.runUntil(async () => {
      expect(await client.workflow.execute('invoiceIntake', { taskQueue, workflowId: `invoice-${randomUUID()}`, args: ['INV-1'] })).toBe(
        'stamped INV-1',
      );

      await seedCompany(new Intake(db));
      await desk.send('project', 'P-100', PM);
      await desk.accept('project', 'P-100', { by: APPROVER });
      await eventually(async () => (await desk.view('project', 'P-100')).erp.status === 'Synced', 'the project to sync');
    });
  } finally {
    await connection.close();
    await clientConnection.close();
    await db.$disconnect();
    await temporal.teardown();
  }
});
