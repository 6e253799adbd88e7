/**
 * erp-approvals as a package: the Temporal worker plugin and what a host's process needs around it.
 *
 *   const erp = createErpApprovals();                        // settings from the environment
 *   await applyMigrations(erp.config.DATABASE_URL!);         // or `npx erp-approvals migrate`
 *   await ensureSearchAttributes(connection, namespace);     // or `npx erp-approvals search-attributes`
 *   const worker = await Worker.create({ connection, taskQueue, workflowsPath, plugins: [erpApprovalsPlugin(erp)] });
 *   const approvals = new ErpApprovalsClient(erp, { client, taskQueue });
 *
 * The workflows alone, for a host's workflows file or bundle: `erp-approvals/workflows`.
 */
export { erpApprovalsPlugin, PLUGIN_NAME, WORKFLOWS_PATH, WORKFLOW_TYPES } from './worker/plugin';
export type { ErpApprovalsPluginOptions } from './worker/plugin';
export { createErpApprovals, settingsFromEnvironment } from './worker/dependencies';
export type { ErpApprovals, ErpApprovalsConfig, ErpApprovalsSettings } from './worker/dependencies';
export { ErpApprovalsClient } from './worker/client';
export type { ErpApprovalsClientOptions } from './worker/client';
export { ensureSearchAttributes, ERP_SEARCH_ATTRIBUTES } from './worker/search-attributes';
export { ensureDailySummarySchedule } from './services/daily-summary-schedule';
export type { DailySummarySettings } from './services/daily-summary-schedule';
export { applyMigrations } from './store/migrations';
export { ConfigError } from './runtime/config';
export { StartupProblem } from './store/startup-problem';
export { DomainError, InvalidRequest } from './domain/errors';
export { DEFAULT_EXPORT_POLICY } from './services/approval-desk';
export type { BulkResult, DecisionRequest } from './services/approval-desk';
export type { ItemView } from './services/item-view';
export type { ItemType } from './domain/item-types';
export type { ErpStatus } from './domain/statuses';
export type { ExportPolicy } from './workflows';
