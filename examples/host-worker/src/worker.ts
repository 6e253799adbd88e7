// The team's Worker: its own workflows and activities, and ERP approvals as a plugin.
// Settings come from the environment (DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, ...).
import { NativeConnection, Worker } from '@temporalio/worker';
import { createErpApprovals, erpApprovalsPlugin, type ErpApprovals } from 'erp-approvals';
import * as activities from './activities';

export async function createWorker(connection: NativeConnection, erp: ErpApprovals): Promise<Worker> {
  return await Worker.create({
    connection,
    namespace: erp.config.TEMPORAL_NAMESPACE,
    taskQueue: erp.config.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities,
    plugins: [erpApprovalsPlugin(erp)],
  });
}

async function main() {
  const erp = createErpApprovals();
  const connection = await NativeConnection.connect({ address: erp.config.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const worker = await createWorker(connection, erp);
  console.log(`Worker polling "${erp.config.TEMPORAL_TASK_QUEUE}": invoiceIntake, approvalRound, dailySummary`);
  await worker.run();
  await connection.close();
  await erp.close();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
