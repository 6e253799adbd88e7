/**
 * The client-side API of approvals for a host's own code: put items in, send them, decide them, read
 * them. Rounds start on the task queue the host's Worker (with the plugin) polls.
 */
import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import { InvalidRequest } from '../domain/errors';
import type { ItemType } from '../domain/item-types';
import { ChangeOrderBody, CommitmentBody, CostCodeBody, id, ProjectBody, Ref, UserBody, VendorBody } from '../domain/intake';
import { ActionBody, BulkDecisionBody, ItemTypeParam, RejectBody } from '../api/schemas';
import { ApprovalDesk, DEFAULT_EXPORT_POLICY, type BulkResult, type DecisionRequest } from '../services/approval-desk';
import type { ItemView } from '../services/item-view';
import { Intake } from '../store/intake';
import type { ExportPolicy } from '../workflows';
import type { ErpApprovals } from './dependencies';

export interface ErpApprovalsClientOptions {
  client: Client;
  /** The Worker's task queue; default TEMPORAL_TASK_QUEUE from the settings. */
  taskQueue?: string;
  /** How a failed export is retried (backoff, attempts); default two seconds doubling to five minutes, 12 attempts. */
  exportPolicy?: ExportPolicy;
}

/**
 * The value as the schema reads it, or InvalidRequest naming every field that is wrong. Only the
 * value's own data is read, as the API reads JSON: nothing inherited through a prototype (a polluted
 * Object.prototype cannot make every user an approver), no functions or class instances.
 */
function checked<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  let data: unknown;
  try {
    data = structuredClone(value);
  } catch {
    throw new InvalidRequest(`Invalid ${what}: it must be plain data (strings, numbers, booleans, arrays and objects)`);
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new InvalidRequest(`Invalid ${what}: ${problems.join('; ')}`);
}

/**
 * Users, vendors, cost codes, projects, commitments and change orders, put in (or updated) by their
 * source reference with the same fields and checks as the intake API's PUT routes.
 */
export class ErpIntake {
  constructor(private readonly intake: Intake) {}

  async upsertUser(id: string, user: z.input<typeof UserBody>) {
    return this.intake.upsertUser(checked(Ref, id, 'user id'), checked(UserBody, user, 'user'));
  }

  async upsertVendor(id: string, vendor: z.input<typeof VendorBody>) {
    return this.intake.upsertVendor(checked(Ref, id, 'vendor id'), checked(VendorBody, vendor, 'vendor'));
  }

  async upsertCostCode(code: string, costCode: z.input<typeof CostCodeBody>) {
    return this.intake.upsertCostCode(checked(Ref, code, 'cost code'), checked(CostCodeBody, costCode, 'cost code'));
  }

  async upsertProject(ref: string, project: z.input<typeof ProjectBody>) {
    return this.intake.upsertProject(checked(Ref, ref, 'project reference'), checked(ProjectBody, project, 'project'));
  }

  async upsertCommitment(ref: string, commitment: z.input<typeof CommitmentBody>) {
    return this.intake.upsertCommitment(checked(Ref, ref, 'commitment reference'), checked(CommitmentBody, commitment, 'commitment'));
  }

  async upsertChangeOrder(ref: string, changeOrder: z.input<typeof ChangeOrderBody>) {
    return this.intake.upsertChangeOrder(
      checked(Ref, ref, 'change order reference'),
      checked(ChangeOrderBody, changeOrder, 'change order'),
    );
  }
}

const Items = BulkDecisionBody.shape.items;
const BulkRequest = BulkDecisionBody.omit({ action: true, items: true });

/**
 * Send, decide and read items, with the API's checks on every argument (InvalidRequest naming what is
 * wrong) and then the same rules as Slack and the API (a DomainError whose `code` is the API's `error`).
 */
export class ErpApprovalsClient {
  /** Users, vendors, cost codes, projects, commitments and change orders, as the intake API takes them. */
  readonly intake: ErpIntake;
  private readonly desk: ApprovalDesk;

  constructor(
    erp: ErpApprovals,
    { client, taskQueue = erp.config.TEMPORAL_TASK_QUEUE, exportPolicy = DEFAULT_EXPORT_POLICY }: ErpApprovalsClientOptions,
  ) {
    this.desk = new ApprovalDesk({
      db: erp.db,
      client,
      taskQueue,
      profile: erp.profile,
      settings: erp.settings,
      allowSelfApproval: erp.allowSelfApproval,
      transport: erp.transport,
      exportPolicy,
    });
    this.intake = new ErpIntake(new Intake(erp.db));
  }

  /** The item as the API's item view shows it; with `as`, the actions open to that person. */
  async view(type: ItemType, ref: string, as?: string): Promise<ItemView> {
    return this.desk.view(...this.item(type, ref), as === undefined ? undefined : checked(id, as, 'user id'));
  }

  /** Sends the item to the accounting approvers (a new round). */
  async send(type: ItemType, ref: string, by: string): Promise<ItemView> {
    return this.desk.send(...this.item(type, ref), checked(id, by, 'user id'));
  }

  /** Sends a rejected or retrieved item again. */
  async resend(type: ItemType, ref: string, by: string): Promise<ItemView> {
    return this.desk.resend(...this.item(type, ref), checked(id, by, 'user id'));
  }

  async accept(type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    return this.desk.accept(...this.action(type, ref, request));
  }

  /** A rejection says why (`reason`, required): the creator reads it. */
  async reject(type: ItemType, ref: string, request: DecisionRequest & { reason: string }): Promise<ItemView> {
    return this.desk.reject(...this.item(type, ref), checked(RejectBody, request, 'rejection'));
  }

  async retrieve(type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    return this.desk.retrieve(...this.action(type, ref, request));
  }

  async retryExport(type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    return this.desk.retryExport(...this.action(type, ref, request));
  }

  async void(type: ItemType, ref: string, request: DecisionRequest): Promise<ItemView> {
    return this.desk.void(...this.action(type, ref, request));
  }

  /** Accepts up to 200 items for one approver, each its own decision; one result per item, in order. */
  async acceptMany(
    items: readonly { type: ItemType; ref: string }[],
    request: { by: string; description?: string },
  ): Promise<BulkResult[]> {
    return this.desk.acceptMany(checked(Items, items, 'items'), checked(BulkRequest, request, 'decision'));
  }

  private item(type: ItemType, ref: string): [ItemType, string] {
    return [checked(ItemTypeParam, type, 'item type'), checked(Ref, ref, 'reference')];
  }

  private action(type: ItemType, ref: string, request: DecisionRequest): [ItemType, string, DecisionRequest] {
    return [...this.item(type, ref), checked(ActionBody, request, 'request')];
  }
}
