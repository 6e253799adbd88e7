/**
 * Reads items from the database into the plain shapes the domain rules and ERP profiles work on.
 * One loader per item type; a new type adds its loader here.
 */
import { isStorableText } from '../domain/text';
import type { ErpRecord, ExportAttemptOutcome, User, Vendor } from '@prisma/client';
import { UnknownItem } from '../domain/errors';
import { ITEM_TYPE_INFO, type ItemType } from '../domain/item-types';
import { LOCKING_STATUSES, type ErpStatus } from '../domain/statuses';
import { closestRefs, costCodeProblem, type Item, type ParentView, type VendorView } from '../domain/items';
import type { Db, Tx } from './prisma';

type Reader = Db | Tx;

/** Export outcomes after which the ERP holds the item, or may. */
const MAY_BE_IN_ERP: ExportAttemptOutcome[] = ['Booked', 'Unknown'];

function person(user: User) {
  return { id: user.id, name: user.name };
}

function vendorView(vendor: Vendor | null): VendorView | null {
  return vendor ? { id: vendor.id, name: vendor.name, erpVendorId: vendor.erpVendorId } : null;
}

function parentView(type: ItemType, ref: string, erp: ErpRecord): ParentView {
  return { type, ref, status: erp.status, erpId: erp.erpId };
}

/** The ERP cost codes among `codes`, each with its categories. */
async function erpCostCodes(db: Reader, codes: (string | null)[]): Promise<Map<string, string[]>> {
  const wanted = [...new Set(codes.filter((code): code is string => !!code))];
  if (wanted.length === 0) return new Map();
  const found = await db.costCode.findMany({ where: { code: { in: wanted } }, select: { code: true, categories: true } });
  return new Map(found.map((c) => [c.code, Array.isArray(c.categories) ? c.categories.map(String) : []]));
}

export interface LoadedItem {
  item: Item;
  erp: ErpRecord;
}

const loaders: Record<ItemType, (db: Reader, ref: string) => Promise<LoadedItem | null>> = {
  async project(db, ref) {
    const row = await db.project.findUnique({ where: { ref }, include: { createdBy: true, erp: true } });
    if (!row) return null;
    return {
      erp: row.erp,
      item: {
        type: 'project',
        ref: row.ref,
        projectRef: row.ref,
        title: row.name,
        number: row.number,
        createdBy: person(row.createdBy),
        createdAt: row.createdAt.toISOString(),
        parent: null,
        url: row.url,
      },
    };
  },

  async commitment(db, ref) {
    const row = await db.commitment.findUnique({
      where: { ref },
      include: { createdBy: true, erp: true, vendor: true, sovLines: { orderBy: { lineNo: 'asc' } }, project: { include: { erp: true } } },
    });
    if (!row) return null;
    const known = await erpCostCodes(
      db,
      row.sovLines.map((l) => l.costCode),
    );
    return {
      erp: row.erp,
      item: {
        type: 'commitment',
        ref: row.ref,
        projectRef: row.projectRef,
        kind: row.kind,
        number: row.number,
        title: row.title,
        description: row.description,
        status: row.status,
        vendor: vendorView(row.vendor),
        createdBy: person(row.createdBy),
        createdAt: row.createdAt.toISOString(),
        parent: parentView('project', row.projectRef, row.project.erp),
        url: row.url,
        lines: row.sovLines.map((line) => {
          const problem = costCodeProblem(line.costCode, line.category, known);
          return {
            lineNo: line.lineNo,
            description: line.description,
            costCode: line.costCode,
            category: line.category,
            erpCostCode: problem === null,
            costCodeProblem: problem,
            amountCents: Number(line.amountCents),
          };
        }),
      },
    };
  },

  async cco(db, ref) {
    const row = await db.changeOrder.findUnique({
      where: { ref },
      include: {
        createdBy: true,
        erp: true,
        lines: { orderBy: { lineNo: 'asc' } },
        commitment: {
          include: {
            erp: true,
            vendor: true,
            sovLines: true,
            // Only those with accounting or in the ERP (or maybe in it) can hold an ERP id this one would clash with.
            changeOrders: {
              where: {
                ref: { not: ref },
                erp: { OR: [{ status: { in: [...LOCKING_STATUSES] } }, { exportAttempts: { some: { outcome: { in: MAY_BE_IN_ERP } } } }] },
              },
              select: {
                ref: true,
                number: true,
                erpNumber: true,
                erp: {
                  select: {
                    status: true,
                    exportAttempts: { where: { outcome: { in: MAY_BE_IN_ERP } }, select: { outcome: true }, take: 1 },
                  },
                },
              },
            },
          },
        },
      },
    });
    if (!row) return null;
    const sov = new Map(row.commitment.sovLines.map((line) => [line.lineNo, line]));
    const known = await erpCostCodes(
      db,
      row.commitment.sovLines.map((l) => l.costCode),
    );
    return {
      erp: row.erp,
      item: {
        type: 'cco',
        ref: row.ref,
        projectRef: row.commitment.projectRef,
        commitmentRef: row.commitmentRef,
        number: row.number,
        erpNumber: row.erpNumber,
        title: row.title,
        description: row.description,
        status: row.status,
        vendor: vendorView(row.commitment.vendor),
        createdBy: person(row.createdBy),
        createdAt: row.createdAt.toISOString(),
        parent: parentView('commitment', row.commitmentRef, row.commitment.erp),
        siblings: row.commitment.changeOrders.map((sibling) => ({
          ref: sibling.ref,
          number: sibling.number,
          erpNumber: sibling.erpNumber,
          status: sibling.erp.status,
          mayBeInErp: sibling.erp.exportAttempts.length > 0,
        })),
        url: row.url,
        lines: row.lines.map((line) => {
          // A modification is coded like the schedule-of-values line it modifies.
          const modified = sov.get(line.sovLineNo);
          const costCode = modified?.costCode ?? null;
          const category = modified?.category ?? null;
          const problem = costCodeProblem(costCode, category, known);
          return {
            lineNo: line.lineNo,
            sovLineNo: line.sovLineNo,
            description: line.description,
            amountCents: Number(line.amountCents),
            costCode,
            category,
            erpCostCode: problem === null,
            costCodeProblem: problem,
          };
        }),
      },
    };
  },
};

export async function findItem(db: Reader, type: ItemType, ref: string): Promise<LoadedItem | null> {
  return loaders[type](db, ref);
}

/** Loads an item or refuses with the closest known refs of that type. */
export async function loadItem(db: Reader, type: ItemType, ref: string): Promise<LoadedItem> {
  // The database refuses to compare with such text, and no stored ref holds it.
  if (!isStorableText(ref))
    throw new UnknownItem(
      `There is no ${ITEM_TYPE_INFO[type].label} with that ref: refs hold no NUL characters or unpaired surrogates.`,
      [],
    );
  const loaded = await findItem(db, type, ref);
  if (loaded) return loaded;
  const known = await db.erpRecord.findMany({ where: { itemType: type }, select: { itemRef: true } });
  const suggestions = closestRefs(
    ref,
    known.map((r) => r.itemRef),
  );
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
  throw new UnknownItem(`There is no ${ITEM_TYPE_INFO[type].label} "${ref}".${hint}`, suggestions);
}

/** ERP records by status, type and project, the least recently changed first: one page, and how many match. */
export async function listItems(
  db: Reader,
  query: { status?: ErpStatus; type?: ItemType; project?: string; offset: number; limit: number },
) {
  const where = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.type ? { itemType: query.type } : {}),
    ...(query.project ? { projectRef: query.project } : {}),
  };
  const [total, records] = await Promise.all([
    db.erpRecord.count({ where }),
    db.erpRecord.findMany({
      where,
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      skip: query.offset,
      take: query.limit,
      include: WITH_TITLE,
    }),
  ]);
  return {
    total,
    items: records.map((r) => ({
      ...recordSummary(r),
      status: r.status,
      erpId: r.erpId,
      exportError: r.exportError,
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

/** The ERP status the record holds now. */
export async function recordStatus(db: Reader, erpRecordId: number): Promise<ErpStatus> {
  return (await db.erpRecord.findUniqueOrThrow({ where: { id: erpRecordId }, select: { status: true } })).status;
}

/** What a list of ERP records needs to show each item's title, whatever its type. */
export const WITH_TITLE = {
  project: { select: { name: true } },
  commitment: { select: { title: true } },
  changeOrder: { select: { title: true } },
} as const;

type TitledRecord = ErpRecord & {
  project: { name: string } | null;
  commitment: { title: string } | null;
  changeOrder: { title: string } | null;
};

/** An ERP record as lists show it: which item, where, and its title. */
export function recordSummary(record: TitledRecord) {
  return {
    type: record.itemType,
    ref: record.itemRef,
    projectRef: record.projectRef,
    title: record.project?.name ?? record.commitment?.title ?? record.changeOrder?.title ?? null,
  };
}

/** The id of the item's ERP record, or null when there is no such item. */
export async function recordIdOf(db: Reader, type: ItemType, ref: string): Promise<number | null> {
  const record = await db.erpRecord.findUnique({ where: { itemType_itemRef: { itemType: type, itemRef: ref } }, select: { id: true } });
  return record?.id ?? null;
}
