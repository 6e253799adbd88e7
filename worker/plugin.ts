/**
 * The approval workflows and their activities as a Temporal worker plugin, for a team that runs its
 * own Worker:
 *
 *   Worker.create({ connection, taskQueue, plugins: [erpApprovalsPlugin({ db, profile, settings, transport, notifier })] })
 *
 * A Worker has one workflow bundle. Where that team's Worker already has workflows of its own, it
 * passes `workflows: 'reexported'` and adds `export * from '<this package>/workflows'` to its own
 * workflows file; the plugin then adds only the activities.
 */
import { SimplePlugin } from '@temporalio/plugin';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface ErpApprovalsPluginOptions extends ActivityDeps {
  /**
   * `bundled` (default): the worker bundles `workflows/`. A prebuilt bundle may be given instead (a
   * faster start). `reexported`: the host's own workflows file re-exports ours.
   */
  workflows?: 'bundled' | 'reexported' | { bundle: WorkflowBundleOption };
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export const PLUGIN_NAME = 'erp-approvals';

export function erpApprovalsPlugin({ workflows = 'bundled', ...deps }: ErpApprovalsPluginOptions): SimplePlugin {
  const workflowOptions =
    workflows === 'reexported' ? {} : workflows === 'bundled' ? { workflowsPath: WORKFLOWS_PATH } : { workflowBundle: workflows.bundle };
  return new SimplePlugin({ name: PLUGIN_NAME, activities: createActivities(deps), ...workflowOptions });
}
