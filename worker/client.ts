/**
 * The client-side API of approvals for a host's own code: put items in, send them, decide them, read
 * them. Rounds start on the task queue the host's Worker (with the plugin) polls.
 */
import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import { InvalidRequest } from '../domain/errors';
import { ChangeOrderBody, CommitmentBody, CostCodeBody, ProjectBody, Ref, UserBody, VendorBody } from '../domain/intake';
import { ApprovalDesk, DEFAULT_EXPORT_POLICY } from '../services/approval-desk';
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

/** The value as the schema reads it, or InvalidRequest naming every field that is wrong. */
function checked<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
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

export class ErpApprovalsClient extends ApprovalDesk {
  /** Users, vendors, cost codes, projects, commitments and change orders, as the intake API takes them. */
  readonly intake: ErpIntake;

  constructor(
    erp: ErpApprovals,
    { client, taskQueue = erp.config.TEMPORAL_TASK_QUEUE, exportPolicy = DEFAULT_EXPORT_POLICY }: ErpApprovalsClientOptions,
  ) {
    super({
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
}
