import { NativeConnection, Worker } from '@temporalio/worker';

async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS as string });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.TEMPORAL_TASK_QUEUE as string,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH as string },
    activities: { noop: async () => undefined },
  });
  console.log('Baseline worker polling');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
