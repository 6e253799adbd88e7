/**
 * The approval workflows and their activities as a Temporal worker plugin. Another team adds it to
 * its own Worker:
 *
 *   Worker.create({ taskQueue, connection, plugins: [erpApprovalsPlugin({ db, profile, settings, transport, notifier })] })
 */
import { SimplePlugin } from '@temporalio/plugin';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface ErpApprovalsPluginOptions extends ActivityDeps {
  /** A prebuilt bundle of `workflows/` (tests and benchmarks build it once); by default the worker bundles it. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function erpApprovalsPlugin({ workflowBundle, ...deps }: ErpApprovalsPluginOptions): SimplePlugin {
  return new SimplePlugin({
    name: 'erp-approvals',
    activities: createActivities(deps),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
