/**
 * Who may do what. The Slack bot and the HTTP API call `missingPermissions` / `assertPermitted`,
 * so a refusal reads the same everywhere.
 */
import { ITEM_TYPE_INFO, itemName, type ItemType, type Tool } from './item-types';
import { PermissionDenied } from './errors';
import { DECISIONS, type ItemAction } from './statuses';

/** Ordered from least to most. */
export const PERMISSION_LEVELS = ['None', 'ReadOnly', 'Standard', 'Admin'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/**
 * Where a grant applies: `company`, or `project:<ref>`. A project scope always carries its prefix, so
 * a project whose ref happens to be `company` can never stand for the whole company.
 */
export const COMPANY_SCOPE = 'company';

export function projectScope(projectRef: string): string {
  return `project:${projectRef}`;
}

export interface Grant {
  /** `company`, or `project:<ref>` for the project the grant is for. */
  scope: string;
  tool: Tool;
  level: PermissionLevel;
}

export interface Actor {
  id: string;
  name: string;
  canPushToAccounting: boolean;
  grants: readonly Grant[];
}

const TOOL_NAMES: Record<Tool, string> = {
  Admin: 'Admin',
  Commitments: 'Commitments',
  ChangeOrders: 'Change Orders',
  ErpIntegrations: 'ERP Integrations',
};

export type Requirement =
  | { kind: 'tool'; tool: Tool; scope: 'project' | 'company'; levels: readonly PermissionLevel[] }
  | { kind: 'privilege'; name: 'Can Push to Accounting' };

/** Accounting approvers accept, reject and retry; creators send, re-send and retrieve. */
export function requirementsFor(action: ItemAction, type: ItemType): Requirement[] {
  if (DECISIONS.includes(action)) {
    return [
      { kind: 'privilege', name: 'Can Push to Accounting' },
      { kind: 'tool', tool: 'ErpIntegrations', scope: 'company', levels: ['Standard', 'Admin'] },
    ];
  }
  const info = ITEM_TYPE_INFO[type];
  const tools = action === 'send' ? [...info.creatorTools, ...info.sendTools] : info.creatorTools;
  return tools.map((tool) => ({ kind: 'tool', tool, scope: 'project', levels: ['Admin'] }));
}

function levelOn(actor: Actor, tool: Tool, scopes: readonly string[]): PermissionLevel {
  let best = 0;
  for (const grant of actor.grants) {
    if (grant.tool === tool && scopes.includes(grant.scope)) {
      best = Math.max(best, PERMISSION_LEVELS.indexOf(grant.level));
    }
  }
  return PERMISSION_LEVELS[best] ?? 'None';
}

function isMet(actor: Actor, requirement: Requirement, projectRef: string): boolean {
  if (requirement.kind === 'privilege') return actor.canPushToAccounting;
  // A company-level grant of a project tool covers every project.
  const scopes = requirement.scope === 'company' ? [COMPANY_SCOPE] : [projectScope(projectRef), COMPANY_SCOPE];
  return requirement.levels.includes(levelOn(actor, requirement.tool, scopes));
}

/** "'Standard' or 'Admin' on the company's ERP Integrations tool" */
export function describeRequirement(requirement: Requirement, projectRef: string): string {
  if (requirement.kind === 'privilege') return `the '${requirement.name}' privilege`;
  const quoted = requirement.levels.map((level) => `'${level}'`);
  const levels = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
  const where = requirement.scope === 'company' ? "the company's" : `project ${projectRef}'s`;
  return `${levels} on ${where} ${TOOL_NAMES[requirement.tool]} tool`;
}

export function missingPermissions(actor: Actor, action: ItemAction, item: { type: ItemType; projectRef: string }): string[] {
  return requirementsFor(action, item.type)
    .filter((requirement) => !isMet(actor, requirement, item.projectRef))
    .map((requirement) => describeRequirement(requirement, item.projectRef));
}

/** What `actor` lacks of the accounting approver's company-wide permissions (empty when nothing). */
export function approverGaps(actor: Actor): string[] {
  return missingPermissions(actor, 'accept', { type: 'commitment', projectRef: '' });
}

export function isAccountingApprover(actor: Actor): boolean {
  return approverGaps(actor).length === 0;
}

/**
 * Reading the audit export (and the company's queues, read-only): the auditor's 'ReadOnly' on the
 * company's ERP Integrations tool, or more, which an approver holds.
 */
export const AUDIT_READ: Requirement = {
  kind: 'tool',
  tool: 'ErpIntegrations',
  scope: 'company',
  levels: ['ReadOnly', 'Standard', 'Admin'],
};

/** What `actor` lacks to read the audit export (empty when nothing). */
export function auditGaps(actor: Actor): string[] {
  return isMet(actor, AUDIT_READ, '') ? [] : [describeRequirement(AUDIT_READ, '')];
}

/** An auditor: may read the company's queues, items, history and audit export, and decides nothing. */
export function isAuditor(actor: Actor): boolean {
  return auditGaps(actor).length === 0 && !isAccountingApprover(actor);
}

export function assertMayAudit(actor: Actor): void {
  const missing = auditGaps(actor);
  if (missing.length === 0) return;
  throw new PermissionDenied(`${actor.name} cannot read the audit export: missing ${missing.join(' and ')}.`, missing);
}

const ACTION_VERBS: Record<ItemAction, string> = {
  send: 'send',
  resend: 're-send',
  retrieve: 'retrieve',
  accept: 'accept',
  reject: 'reject',
  'retry-export': 'retry the export of',
  void: 'void',
};

export function assertPermitted(actor: Actor, action: ItemAction, item: { type: ItemType; ref: string; projectRef: string }): void {
  const missing = missingPermissions(actor, action, item);
  if (missing.length === 0) return;
  throw new PermissionDenied(
    `${actor.name} cannot ${ACTION_VERBS[action]} ${itemName(item.type, item.ref)}: missing ${missing.join(' and ')}.`,
    missing,
  );
}
