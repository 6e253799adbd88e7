/**
 * The approval workflows and their activities as a Temporal worker plugin, for a team that runs its
 * own Worker:
 *
 *   const erp = createErpApprovals();   // from the environment, or a settings object
 *   Worker.create({ connection, taskQueue, workflowsPath, plugins: [erpApprovalsPlugin(erp)] })
 *
 * A Worker has one workflow bundle. By default the plugin puts ours in it: beside the Worker's own
 * workflowsPath when it has one (both files' exports), alone when it has none. The same holds for a
 * replay Worker and for `bundleWorkflowCode({ workflowsPath, plugins: [plugin] })`, so a prebuilt
 * bundle can hold both too; a Worker given such a bundle takes the plugin with `workflows: 'included'`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SimplePlugin } from '@temporalio/plugin';
import type { ReplayWorkerOptions, WorkerOptions, WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface ErpApprovalsPluginOptions extends ActivityDeps {
  /**
   * `bundled` (default): ours are bundled with the Worker's own workflowsPath, if any.
   * `included`: the Worker's workflows already hold ours (its workflows file re-exports
   * `erp-approvals/workflows`, or its prebuilt bundle was built with this plugin); only the activities are added.
   * `{ bundle }`: a prebuilt bundle of ours alone, for a Worker with no workflows of its own.
   */
  workflows?: 'bundled' | 'included' | { bundle: WorkflowBundleOption };
}

/** The module whose exports are our workflow types (`approvalRound`, `dailySummary`). */
export const WORKFLOWS_PATH = require.resolve('../workflows');

export const PLUGIN_NAME = 'erp-approvals';

/** The names our workflows are registered under; a host's own workflows must not use them. */
export const WORKFLOW_TYPES = ['approvalRound', 'dailySummary'] as const;

/**
 * Where the combined entry module goes: the `.cache` folder of the node_modules the host's workflows
 * take @temporalio/workflow from, so the bundler finds the same one from there.
 */
function entryDirectory(host: string): string {
  let workflowPackage: string;
  try {
    workflowPackage = require.resolve('@temporalio/workflow', { paths: [path.dirname(host)] });
  } catch {
    throw new Error(`erp-approvals: @temporalio/workflow cannot be found from ${path.dirname(host)}, where the Worker's workflowsPath is.`);
  }
  const marker = `${path.sep}node_modules${path.sep}`;
  return path.join(workflowPackage.slice(0, workflowPackage.lastIndexOf(marker) + marker.length), '.cache', 'erp-approvals');
}

/** The entry modules this process wrote. */
const generated = new Set<string>();

/** An entry module exporting both the host's workflows and ours, written once per host path. */
export function combinedWorkflowsPath(hostPath: string): string {
  const host = path.resolve(hostPath);
  // Ours alone, or a module this function wrote (the Worker and its bundler each ask): nothing to add.
  if (host === WORKFLOWS_PATH || generated.has(host)) return host;
  // Our names are exported by name, which takes precedence over the host's `export *`: a workflow of the
  // host's called approvalRound can never run in place of the approval round.
  const source = `// Written by the erp-approvals plugin: the Worker's workflows and the approval workflows, one bundle.\nexport * from ${JSON.stringify(host)};\nexport { ${WORKFLOW_TYPES.join(', ')} } from ${JSON.stringify(WORKFLOWS_PATH)};\n`;
  const dir = entryDirectory(host);
  const file = path.join(dir, `workflows-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so two Workers starting at once never read half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, source);
    fs.renameSync(partial, file);
  }
  generated.add(file);
  return file;
}

class ErpApprovalsPlugin extends SimplePlugin {
  private readonly activityNames: string[];

  constructor(
    private readonly mode: 'bundled' | 'included' | { bundle: WorkflowBundleOption },
    activities: ReturnType<typeof createActivities>,
  ) {
    super({
      name: PLUGIN_NAME,
      activities,
      ...(mode === 'bundled'
        ? { workflowsPath: (existing?: string) => (existing ? combinedWorkflowsPath(existing) : WORKFLOWS_PATH) }
        : mode === 'included'
          ? {}
          : { workflowBundle: mode.bundle }),
    });
    this.activityNames = Object.keys(activities);
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    this.refuseTwoBundles(options);
    // Activities merge by name, ours last: one of the Worker's of the same name would be replaced unseen.
    const clashing = Object.keys(options.activities ?? {}).filter((name) => this.activityNames.includes(name));
    if (clashing.length > 0)
      throw new Error(
        `erp-approvals: the Worker already has activities named ${clashing.join(', ')}, which the approval rounds use; rename yours.`,
      );
    return super.configureWorker(options);
  }

  override configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    this.refuseTwoBundles(options);
    return super.configureReplayWorker(options);
  }

  /** A prebuilt bundle cannot take more workflows; the Worker would start without ours, or fail on two sources. */
  private refuseTwoBundles(options: WorkerOptions | ReplayWorkerOptions) {
    if (this.mode === 'included') return;
    if (this.mode === 'bundled' && options.workflowBundle)
      throw new Error(
        "erp-approvals: this Worker has a prebuilt workflowBundle, which cannot take the approval workflows as well. Build the bundle with bundleWorkflowCode({ workflowsPath, plugins: [erpApprovalsPlugin(...)] }) and pass erpApprovalsPlugin({ ...dependencies, workflows: 'included' }).",
      );
    if (this.mode !== 'bundled' && (options.workflowsPath || options.workflowBundle))
      throw new Error(
        "erp-approvals: workflows: { bundle } is for a Worker with no workflows of its own. With your own, leave `workflows` out (ours are bundled beside yours) or pass 'included'.",
      );
  }
}

export function erpApprovalsPlugin({ workflows = 'bundled', ...deps }: ErpApprovalsPluginOptions): SimplePlugin {
  return new ErpApprovalsPlugin(workflows, createActivities(deps));
}
