/**
 * Idempotent upserts from source systems, keyed by their own ids and refs. Each runs in one
 * transaction, and an item with accounting refuses edits to its locked fields (`domain/edits.ts`).
 */
import { lockItem, writeTransaction, type Db, type Tx } from './prisma';
import { AlreadyTaken, UnknownReference } from '../domain/errors';
import { COMPANY_SCOPE, projectScope } from '../domain/permissions';
import { assertUniqueLineNumbers, assertUnlocked, changeOrderLineValues, createdAtOf, sovLineValues, sum } from '../domain/edits';
import type { ChangeOrderInput, CommitmentInput, CostCodeInput, ProjectInput, UserInput, VendorInput } from '../domain/intake';

async function requireUser(tx: Tx, userId: string, field: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new UnknownReference(`${field}: there is no user "${userId}"; push the user first.`, field);
}

export class Intake {
  constructor(private readonly db: Db) {}

  async upsertUser(id: string, input: UserInput) {
    return writeTransaction(this.db, async (tx) => {
      const data = { name: input.name, email: input.email, slackId: input.slackId ?? null, canPushToAccounting: input.canPushToAccounting };
      // Email and Slack id each identify one person: Slack users are matched by them.
      const clash = await tx.user.findFirst({
        where: { id: { not: id }, OR: [{ email: data.email }, ...(data.slackId ? [{ slackId: data.slackId }] : [])] },
        select: { id: true, email: true, slackId: true },
      });
      if (clash) {
        const field = clash.email === data.email ? 'email' : 'slackId';
        throw new AlreadyTaken(`${field}: ${field === 'email' ? data.email : data.slackId} already belongs to user "${clash.id}".`, field);
      }
      const user = await tx.user.upsert({ where: { id }, create: { id, ...data }, update: data });
      await tx.toolPermission.deleteMany({ where: { userId: id } });
      // The last grant for a tool and scope wins.
      const scopeOf = (p: UserInput['permissions'][number]) => (p.project === undefined ? COMPANY_SCOPE : projectScope(p.project));
      const grants = new Map(input.permissions.map((p) => [`${scopeOf(p)}/${p.tool}`, p]));
      await tx.toolPermission.createMany({
        data: [...grants.values()].map((p) => ({ userId: id, scope: scopeOf(p), tool: p.tool, level: p.level })),
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
      await lockItem(tx, 'project', ref);
      await requireUser(tx, input.createdBy, 'createdBy');
      const existing = await tx.project.findUnique({ where: { ref }, include: { erp: true } });
      const data = { name: input.name, number: input.number ?? null, createdById: input.createdBy, url: input.url ?? null };
      if (existing) {
        assertUnlocked(
          'project',
          ref,
          existing.erp.status,
          { name: existing.name, number: existing.number, createdAt: existing.createdAt.toISOString() },
          { name: data.name, number: data.number, createdAt: createdAtOf(existing.createdAt, input.createdAt) },
        );
        return tx.project.update({ where: { ref }, data });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'project', itemRef: ref, projectRef: ref } });
      return tx.project.create({
        data: { ref, ...data, erpRecordId: erp.id, createdAt: input.createdAt ? new Date(input.createdAt) : new Date() },
      });
    });
  }

  async upsertCommitment(ref: string, input: CommitmentInput) {
    assertUniqueLineNumbers(input.sovLines, 'sovLines');
    return writeTransaction(this.db, async (tx) => {
      await lockItem(tx, 'commitment', ref);
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
        url: input.url ?? null,
      };
      const lines = input.sovLines.map((line) => ({
        lineNo: line.lineNo,
        description: line.description,
        costCode: line.costCode ?? null,
        category: line.category ?? null,
        amountCents: BigInt(line.amount),
      }));
      if (existing) {
        const locked = (c: {
          projectRef: string;
          vendorId: string | null;
          kind: string;
          number: string;
          title: string;
          description: string;
          status: string;
        }) => ({
          project: c.projectRef,
          vendorId: c.vendorId,
          kind: c.kind,
          number: c.number,
          title: c.title,
          description: c.description,
          status: c.status,
        });
        assertUnlocked(
          'commitment',
          ref,
          existing.erp.status,
          {
            ...locked(existing),
            totalAmount: sum(existing.sovLines),
            sovLines: sovLineValues(existing.sovLines),
            createdAt: existing.createdAt.toISOString(),
          },
          {
            ...locked(data),
            totalAmount: sum(lines),
            sovLines: sovLineValues(lines),
            createdAt: createdAtOf(existing.createdAt, input.createdAt),
          },
        );
        await tx.sovLine.deleteMany({ where: { commitmentRef: ref } });
        await tx.erpRecord.update({ where: { id: existing.erpRecordId }, data: { projectRef: input.project } });
        return tx.commitment.update({ where: { ref }, data: { ...data, sovLines: { create: lines } } });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'commitment', itemRef: ref, projectRef: input.project } });
      return tx.commitment.create({
        data: {
          ref,
          ...data,
          erpRecordId: erp.id,
          createdAt: input.createdAt ? new Date(input.createdAt) : new Date(),
          sovLines: { create: lines },
        },
      });
    });
  }

  async upsertChangeOrder(ref: string, input: ChangeOrderInput) {
    assertUniqueLineNumbers(input.lines, 'lines');
    return writeTransaction(this.db, async (tx) => {
      // Parent, then child: the commitment's lines cannot change under the check below.
      await lockItem(tx, 'commitment', input.commitment);
      await lockItem(tx, 'cco', ref);
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
        url: input.url ?? null,
      };
      const lines = input.lines.map((line) => ({
        lineNo: line.lineNo,
        sovLineNo: line.sovLineNo,
        description: line.description,
        amountCents: BigInt(line.amount),
      }));
      if (existing) {
        const status = existing.erp.status;
        const locked = (c: {
          commitmentRef: string;
          number: string;
          erpNumber: string | null;
          title: string;
          description: string;
          status: string;
        }) => ({
          commitment: c.commitmentRef,
          number: c.number,
          erpNumber: c.erpNumber,
          title: c.title,
          description: c.description,
          status: c.status,
        });
        assertUnlocked(
          'cco',
          ref,
          status,
          {
            ...locked(existing),
            totalAmount: sum(existing.lines),
            lines: changeOrderLineValues(existing.lines),
            createdAt: existing.createdAt.toISOString(),
          },
          {
            ...locked(data),
            totalAmount: sum(lines),
            lines: changeOrderLineValues(lines),
            createdAt: createdAtOf(existing.createdAt, input.createdAt),
          },
        );
        await tx.changeOrderLine.deleteMany({ where: { changeOrderRef: ref } });
        await tx.erpRecord.update({ where: { id: existing.erpRecordId }, data: { projectRef: commitment.projectRef } });
        // The creation date is the source's and never changes: it becomes the ERP's commitment date.
        return tx.changeOrder.update({ where: { ref }, data: { ...data, lines: { create: lines } } });
      }
      const erp = await tx.erpRecord.create({ data: { itemType: 'cco', itemRef: ref, projectRef: commitment.projectRef } });
      return tx.changeOrder.create({
        data: {
          ref,
          ...data,
          erpRecordId: erp.id,
          createdAt: input.createdAt ? new Date(input.createdAt) : new Date(),
          lines: { create: lines },
        },
      });
    });
  }
}
