/**
 * Idempotent upserts from source systems, keyed by their own ids and refs. Each runs in one
 * transaction, and an item with accounting refuses edits to its locked fields.
 */
import { writeTransaction, type Db, type Tx } from '../store/prisma';
import { ItemLocked, UnknownReference } from '../domain/errors';
import { ITEM_TYPE_INFO, type ItemType } from '../domain/item-types';
import { COMPANY_SCOPE } from '../domain/permissions';
import { isLocked, statusLabel, type ErpStatus } from '../domain/statuses';
import type { ChangeOrderInput, CommitmentInput, CostCodeInput, ProjectInput, UserInput, VendorInput } from '../api/schemas';

type LockedValues = Record<string, string | number | null>;

function assertUnlocked(type: ItemType, ref: string, status: ErpStatus, before: LockedValues, after: LockedValues): void {
  if (!isLocked(status)) return;
  const changed = ITEM_TYPE_INFO[type].lockedFields.filter(({ field }) => field in after && before[field] !== after[field]);
  if (changed.length === 0) return;
  throw new ItemLocked(
    `${ITEM_TYPE_INFO[type].label} ${ref} is ${statusLabel(status)}: ${changed.map((f) => f.label).join(', ')} ` +
      `cannot be edited until accounting rejects it or it is retrieved.`,
    changed.map((f) => f.field),
    status,
  );
}

async function requireUser(tx: Tx, userId: string, field: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new UnknownReference(`${field}: there is no user "${userId}"; push the user first.`, field);
}

const sum = (lines: { amountCents: number | bigint }[]) => lines.reduce((total, line) => total + Number(line.amountCents), 0);

export class Intake {
  constructor(private readonly db: Db) {}

  async upsertUser(id: string, input: UserInput) {
    return writeTransaction(this.db, async (tx) => {
      const data = { name: input.name, email: input.email, slackId: input.slackId ?? null, canPushToAccounting: input.canPushToAccounting };
      const user = await tx.user.upsert({ where: { id }, create: { id, ...data }, update: data });
      await tx.toolPermission.deleteMany({ where: { userId: id } });
      // The last grant for a tool and scope wins.
      const grants = new Map(input.permissions.map((p) => [`${p.project ?? COMPANY_SCOPE}/${p.tool}`, p]));
      await tx.toolPermission.createMany({
        data: [...grants.values()].map((p) => ({ userId: id, scope: p.project ?? COMPANY_SCOPE, tool: p.tool, level: p.level })),
      });
      return user;
    });
  }

  async upsertVendor(id: string, input: VendorInput) {
    const data = { name: input.name, erpVendorId: input.erpVendorId ?? null };
    return this.db.vendor.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  async upsertCostCode(code: string, input: CostCodeInput) {
    const data = { description: input.description, categories: input.categories };
    return this.db.costCode.upsert({ where: { code }, create: { code, ...data }, update: data });
  }

  async upsertProject(ref: string, input: ProjectInput) {
    return writeTransaction(this.db, async (tx) => {
      await requireUser(tx, input.createdBy, 'createdBy');
      const existing = await tx.project.findUnique({ where: { ref }, include: { erp: true } });
      const data = { name: input.name, number: input.number ?? null, createdById: input.createdBy };
      if (existing) {
        assertUnlocked('project', ref, existing.erp.status as ErpStatus, { name: existing.name, number: existing.number }, { name: data.name, number: data.number });
        return tx.project.update({ where: { ref }, data });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'project', itemRef: ref, projectRef: ref } });
      return tx.project.create({ data: { ref, ...data, erpRecordId: erp.id, createdAt: input.createdAt ? new Date(input.createdAt) : new Date() } });
    });
  }

  async upsertCommitment(ref: string, input: CommitmentInput) {
    return writeTransaction(this.db, async (tx) => {
      await requireUser(tx, input.createdBy, 'createdBy');
      const project = await tx.project.findUnique({ where: { ref: input.project } });
      if (!project) throw new UnknownReference(`project: there is no project "${input.project}"; push the project first.`, 'project');
      if (input.vendorId && !(await tx.vendor.findUnique({ where: { id: input.vendorId } }))) {
        throw new UnknownReference(`vendorId: there is no vendor "${input.vendorId}"; push the vendor first.`, 'vendorId');
      }
      const existing = await tx.commitment.findUnique({ where: { ref }, include: { erp: true, sovLines: true } });
      const data = {
        projectRef: input.project,
        kind: input.kind,
        number: input.number,
        title: input.title,
        description: input.description,
        status: input.status,
        vendorId: input.vendorId ?? null,
        createdById: input.createdBy,
      };
      const lines = input.sovLines.map((line) => ({
        lineNo: line.lineNo,
        description: line.description,
        costCode: line.costCode ?? null,
        category: line.category ?? null,
        amountCents: BigInt(line.amount),
      }));
      if (existing) {
        assertUnlocked(
          'commitment',
          ref,
          existing.erp.status as ErpStatus,
          { vendorId: existing.vendorId, title: existing.title, status: existing.status, totalAmount: sum(existing.sovLines) },
          { vendorId: data.vendorId, title: data.title, status: data.status, totalAmount: sum(lines) },
        );
        if (existing.projectRef !== input.project && isLocked(existing.erp.status as ErpStatus)) {
          throw new ItemLocked(`commitment ${ref} is with accounting; it cannot move to another project.`, ['project'], existing.erp.status as ErpStatus);
        }
        await tx.sovLine.deleteMany({ where: { commitmentRef: ref } });
        await tx.erpRecord.update({ where: { id: existing.erpRecordId }, data: { projectRef: input.project } });
        return tx.commitment.update({ where: { ref }, data: { ...data, sovLines: { create: lines } } });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'commitment', itemRef: ref, projectRef: input.project } });
      return tx.commitment.create({
        data: { ref, ...data, erpRecordId: erp.id, createdAt: input.createdAt ? new Date(input.createdAt) : new Date(), sovLines: { create: lines } },
      });
    });
  }

  async upsertChangeOrder(ref: string, input: ChangeOrderInput) {
    return writeTransaction(this.db, async (tx) => {
      await requireUser(tx, input.createdBy, 'createdBy');
      const commitment = await tx.commitment.findUnique({ where: { ref: input.commitment }, include: { sovLines: true } });
      if (!commitment) {
        throw new UnknownReference(`commitment: there is no commitment "${input.commitment}"; push the commitment first.`, 'commitment');
      }
      const sovLineNos = new Set(commitment.sovLines.map((line) => line.lineNo));
      input.lines.forEach((line, index) => {
        if (!sovLineNos.has(line.sovLineNo)) {
          throw new UnknownReference(
            `lines.${index}.sovLineNo: commitment ${input.commitment} has no schedule-of-values line ${line.sovLineNo}.`,
            `lines.${index}.sovLineNo`,
          );
        }
      });
      const existing = await tx.changeOrder.findUnique({ where: { ref }, include: { erp: true, lines: true } });
      const data = {
        commitmentRef: input.commitment,
        number: input.number,
        erpNumber: input.erpNumber ?? null,
        title: input.title,
        description: input.description,
        status: input.status,
        createdById: input.createdBy,
      };
      const lines = input.lines.map((line) => ({
        lineNo: line.lineNo,
        sovLineNo: line.sovLineNo,
        description: line.description,
        amountCents: BigInt(line.amount),
      }));
      if (existing) {
        const status = existing.erp.status as ErpStatus;
        assertUnlocked(
          'cco',
          ref,
          status,
          { commitment: existing.commitmentRef, number: existing.number, erpNumber: existing.erpNumber, title: existing.title, status: existing.status, totalAmount: sum(existing.lines) },
          { commitment: data.commitmentRef, number: data.number, erpNumber: data.erpNumber, title: data.title, status: data.status, totalAmount: sum(lines) },
        );
        await tx.changeOrderLine.deleteMany({ where: { changeOrderRef: ref } });
        await tx.erpRecord.update({ where: { id: existing.erpRecordId }, data: { projectRef: commitment.projectRef } });
        // The creation date is the source's and never changes: it becomes the ERP's commitment date.
        return tx.changeOrder.update({ where: { ref }, data: { ...data, lines: { create: lines } } });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'cco', itemRef: ref, projectRef: commitment.projectRef } });
      return tx.changeOrder.create({
        data: { ref, ...data, erpRecordId: erp.id, createdAt: input.createdAt ? new Date(input.createdAt) : new Date(), lines: { create: lines } },
      });
    });
  }
}

