/**
 * Reads items from the database into the plain shapes the domain rules and ERP profiles work on.
 * One statement per item type; a new type adds its statement and shape here.
 */
import { isStorableText } from '../domain/text';
import type { ErpRecord } from '../generated/prisma';
import { UnknownItem } from '../domain/errors';
import { ITEM_TYPE_INFO, ITEM_TYPES, type ItemType } from '../domain/item-types';
import { LOCKING_STATUSES, type ErpStatus } from '../domain/statuses';
import { closestRefs, costCodeProblem, type Item, type ParentView, type SiblingChangeOrder, type VendorView } from '../domain/items';
import type { Db, Tx } from './prisma';
import { isoSql } from './sql';
import { parseRecords, recordsColumns, type ItemRecords, type RecordsRow } from './item-records';

type Reader = Db | Tx;

/** An ERP record as JSON: every column the rest of the product reads. */
const erpJson = (r: string) => `json_build_object('id', ${r}.id, 'itemType', ${r}."itemType", 'itemRef', ${r}."itemRef",
  'projectRef', ${r}."projectRef", 'status', ${r}.status, 'erpId', ${r}."erpId", 'round', ${r}.round,
  'exportError', ${r}."exportError", 'lastRejectionReason', ${r}."lastRejectionReason", 'updatedAt', ${isoSql(`${r}."updatedAt"`)})`;

const personJson = (u: string) => `json_build_object('id', ${u}.id, 'name', ${u}.name)`;

const vendorJson = (v: string) =>
  `CASE WHEN ${v}.id IS NULL THEN NULL ELSE json_build_object('id', ${v}.id, 'name', ${v}.name, 'erpVendorId', ${v}."erpVendorId") END`;

/** The ERP cost codes a commitment's schedule of values uses, each with its categories. */
const costCodesJson = (
  commitment: string,
) => `(SELECT coalesce(json_agg(json_build_object('code', cc.code, 'categories', cc.categories)), '[]')
  FROM "CostCode" cc WHERE cc.code IN (SELECT s."costCode" FROM "SovLine" s WHERE s."commitmentRef" = ${commitment}.ref))`;

/** Export outcomes after which the ERP holds the item, or may. */
const MAY_BE_IN_ERP = `('Booked', 'Unknown')`;

/** The columns a change order's ERP id may come from: its own and a sibling's. */
const ID_COLUMNS = ['o."erpNumber"', 'o.number', 'so."erpNumber"', 'so.number'];

/**
 * Each loader is one statement: the item, its record, its parent's record and everything its rules
 * read, as one JSON document. A round reads its item a few times, so this is where statements add up.
 */
const LOAD_SQL: Record<ItemType, (records: string) => string> = {
  project: (records) => `SELECT json_build_object(
      'ref', p.ref, 'name', p.name, 'number', p.number, 'url', p.url, 'createdAt', ${isoSql('p."createdAt"')},
      'createdBy', ${personJson('u')}, 'erp', ${erpJson('r')}) AS row${records}
    FROM "Project" p JOIN "User" u ON u.id = p."createdById" JOIN "ErpRecord" r ON r.id = p."erpRecordId"
    WHERE p.ref = $1`,

  commitment: (records) => `SELECT json_build_object(
      'ref', c.ref, 'projectRef', c."projectRef", 'kind', c.kind, 'number', c.number, 'title', c.title,
      'description', c.description, 'status', c.status, 'url', c.url, 'createdAt', ${isoSql('c."createdAt"')},
      'createdBy', ${personJson('u')}, 'erp', ${erpJson('r')}, 'vendor', ${vendorJson('v')},
      'parent', json_build_object('status', pr.status, 'erpId', pr."erpId"),
      'lines', (SELECT coalesce(json_agg(json_build_object('lineNo', s."lineNo", 'description', s.description,
          'costCode', s."costCode", 'category', s.category, 'amountCents', s."amountCents"::text) ORDER BY s."lineNo"), '[]')
        FROM "SovLine" s WHERE s."commitmentRef" = c.ref),
      'costCodes', ${costCodesJson('c')}) AS row${records}
    FROM "Commitment" c JOIN "User" u ON u.id = c."createdById" JOIN "ErpRecord" r ON r.id = c."erpRecordId"
      JOIN "Project" p ON p.ref = c."projectRef" JOIN "ErpRecord" pr ON pr.id = p."erpRecordId"
      LEFT JOIN "Vendor" v ON v.id = c."vendorId"
    WHERE c.ref = $1`,

  // Siblings whose ERP id could be this one's: with accounting or in the ERP (or maybe in it), and with
  // a number or ERP number equal to one of this one's, letter case aside. Where any of them holds more
  // than printable ASCII without spaces (where trimming and letter case are the profile's business),
  // the sibling is read all the same: the profile's rule decides, the store only spares it the rest.
  cco: (records) => `SELECT json_build_object(
      'ref', o.ref, 'commitmentRef', o."commitmentRef", 'projectRef', c."projectRef", 'number', o.number,
      'erpNumber', o."erpNumber", 'title', o.title, 'description', o.description, 'status', o.status, 'url', o.url,
      'createdAt', ${isoSql('o."createdAt"')}, 'createdBy', ${personJson('u')}, 'erp', ${erpJson('r')}, 'vendor', ${vendorJson('v')},
      'parent', json_build_object('status', cr.status, 'erpId', cr."erpId"),
      'lines', (SELECT coalesce(json_agg(json_build_object('lineNo', l."lineNo", 'sovLineNo', l."sovLineNo",
          'description', l.description, 'amountCents', l."amountCents"::text) ORDER BY l."lineNo"), '[]')
        FROM "ChangeOrderLine" l WHERE l."changeOrderRef" = o.ref),
      'sovLines', (SELECT coalesce(json_agg(json_build_object('lineNo', s."lineNo", 'costCode', s."costCode", 'category', s.category)), '[]')
        FROM "SovLine" s WHERE s."commitmentRef" = c.ref),
      'costCodes', ${costCodesJson('c')},
      'siblings', (SELECT coalesce(json_agg(json_build_object('ref', so.ref, 'number', so.number, 'erpNumber', so."erpNumber",
            'status', sr.status, 'mayBeInErp', EXISTS (SELECT 1 FROM "ExportAttempt" a WHERE a."erpRecordId" = sr.id AND a.outcome::text IN ${MAY_BE_IN_ERP}))
            ORDER BY so.ref), '[]')
        FROM "ChangeOrder" so JOIN "ErpRecord" sr ON sr.id = so."erpRecordId"
        WHERE so."commitmentRef" = c.ref AND so.ref <> o.ref
          AND (${ID_COLUMNS.map((column) => `${column} ~ '[^!-~]'`).join(' OR ')}
            OR upper(so."erpNumber" COLLATE "C") IN (upper(o."erpNumber" COLLATE "C"), upper(o.number COLLATE "C"))
            OR upper(so.number COLLATE "C") IN (upper(o."erpNumber" COLLATE "C"), upper(o.number COLLATE "C")))
          AND (sr.status::text IN (${LOCKING_STATUSES.map((s) => `'${s}'`).join(', ')})
            OR EXISTS (SELECT 1 FROM "ExportAttempt" a WHERE a."erpRecordId" = sr.id AND a.outcome::text IN ${MAY_BE_IN_ERP})))) AS row${records}
    FROM "ChangeOrder" o JOIN "User" u ON u.id = o."createdById" JOIN "ErpRecord" r ON r.id = o."erpRecordId"
      JOIN "Commitment" c ON c.ref = o."commitmentRef" JOIN "ErpRecord" cr ON cr.id = c."erpRecordId"
      LEFT JOIN "Vendor" v ON v.id = c."vendorId"
    WHERE o.ref = $1`,
};

/** Each type's statement, written once: the item alone, and the item with what its view shows. */
const ITEM_ONLY = mapTypes((type) => LOAD_SQL[type](''));
const WITH_RECORDS = mapTypes((type) => LOAD_SQL[type](`, ${recordsColumns('r.id')}`));

function mapTypes<T>(each: (type: ItemType) => T): Record<ItemType, T> {
  return Object.fromEntries(ITEM_TYPES.map((type) => [type, each(type)])) as Record<ItemType, T>;
}

/** What the loaders' JSON holds, as PostgreSQL writes it. */
interface ErpRow extends Omit<ErpRecord, 'updatedAt'> {
  updatedAt: string;
}
interface LineRow {
  lineNo: number;
  description: string;
  amountCents: string;
}
interface Row {
  ref: string;
  title: string;
  url: string | null;
  createdAt: string;
  createdBy: { id: string; name: string };
  erp: ErpRow;
  parent: { status: ErpStatus; erpId: string | null };
  vendor: VendorView | null;
  costCodes: { code: string; categories: unknown }[];
}
interface ProjectRow extends Omit<Row, 'title' | 'parent' | 'vendor' | 'costCodes'> {
  name: string;
  number: string | null;
}
interface CommitmentRow extends Row {
  projectRef: string;
  kind: 'subcontract' | 'purchase_order';
  number: string;
  description: string;
  status: string;
  lines: (LineRow & { costCode: string | null; category: string | null })[];
}
interface ChangeOrderRow extends Row {
  projectRef: string;
  commitmentRef: string;
  number: string;
  erpNumber: string | null;
  description: string;
  status: string;
  lines: (LineRow & { sovLineNo: number })[];
  sovLines: { lineNo: number; costCode: string | null; category: string | null }[];
  siblings: SiblingChangeOrder[];
}

function erpRecord(row: ErpRow): ErpRecord {
  return { ...row, updatedAt: new Date(row.updatedAt) };
}

function parentView(type: ItemType, ref: string, parent: Row['parent']): ParentView {
  return { type, ref, status: parent.status, erpId: parent.erpId };
}

/** The ERP cost codes a row's lines may use, each with its categories. */
function knownCostCodes(row: Row): Map<string, string[]> {
  return new Map(row.costCodes.map((c) => [c.code, Array.isArray(c.categories) ? c.categories.map(String) : []]));
}

export interface LoadedItem {
  item: Item;
  erp: ErpRecord;
  /** Read with the item when asked for (`withRecords`). */
  records?: ItemRecords;
}

const shapes: { [T in ItemType]: (row: never) => LoadedItem } = {
  project: (row: ProjectRow) => ({
    erp: erpRecord(row.erp),
    item: {
      type: 'project',
      ref: row.ref,
      projectRef: row.ref,
      title: row.name,
      number: row.number,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      parent: null,
      url: row.url,
    },
  }),

  commitment: (row: CommitmentRow) => {
    const known = knownCostCodes(row);
    return {
      erp: erpRecord(row.erp),
      item: {
        type: 'commitment',
        ref: row.ref,
        projectRef: row.projectRef,
        kind: row.kind,
        number: row.number,
        title: row.title,
        description: row.description,
        status: row.status,
        vendor: row.vendor,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
        parent: parentView('project', row.projectRef, row.parent),
        url: row.url,
        lines: row.lines.map((line) => {
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

  cco: (row: ChangeOrderRow) => {
    const sov = new Map(row.sovLines.map((line) => [line.lineNo, line]));
    const known = knownCostCodes(row);
    return {
      erp: erpRecord(row.erp),
      item: {
        type: 'cco',
        ref: row.ref,
        projectRef: row.projectRef,
        commitmentRef: row.commitmentRef,
        number: row.number,
        erpNumber: row.erpNumber,
        title: row.title,
        description: row.description,
        status: row.status,
        vendor: row.vendor,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
        parent: parentView('commitment', row.commitmentRef, row.parent),
        siblings: row.siblings,
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

export interface LoadOptions {
  /** Read the item's history, reviewed snapshot and booked export in the same statement (what a view shows). */
  withRecords?: boolean;
}

export async function findItem(db: Reader, type: ItemType, ref: string, options: LoadOptions = {}): Promise<LoadedItem | null> {
  const sql = (options.withRecords ? WITH_RECORDS : ITEM_ONLY)[type];
  const [found] = await db.$queryRawUnsafe<({ row: unknown } & Partial<RecordsRow>)[]>(sql, ref);
  if (!found) return null;
  const loaded = (shapes[type] as (row: unknown) => LoadedItem)(found.row);
  const { history, reviewed, booked } = found;
  return history === undefined
    ? loaded
    : { ...loaded, records: parseRecords({ history, reviewed: reviewed ?? null, booked: booked ?? null }) };
}

/** Loads an item or refuses with the closest known refs of that type. */
export async function loadItem(db: Reader, type: ItemType, ref: string, options: LoadOptions = {}): Promise<LoadedItem> {
  // The database refuses to compare with such text, and no stored ref holds it.
  if (!isStorableText(ref))
    throw new UnknownItem(
      `There is no ${ITEM_TYPE_INFO[type].label} with that ref: refs hold no NUL characters or unpaired surrogates.`,
      [],
    );
  const loaded = await findItem(db, type, ref, options);
  if (loaded) return loaded;
  const known = await db.erpRecord.findMany({ where: { itemType: type }, select: { itemRef: true } });
  const suggestions = closestRefs(
    ref,
    known.map((r) => r.itemRef),
  );
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
  throw new UnknownItem(`There is no ${ITEM_TYPE_INFO[type].label} "${ref}".${hint}`, suggestions);
}

/**
 * Ready to Export records whose waiting step is any approver's, or waits for one of `approverIds` (an
 * approver and those they stand in for); without self-approval, not a round `approverIds[0]` sent.
 */
export function waitingForOneOf(approverIds: readonly string[], allowSelfApproval: boolean) {
  return {
    status: 'ReadyToExport' as const,
    AND: [
      { OR: [{ waitingFor: { isEmpty: true } }, { waitingFor: { hasSome: [...approverIds] } }] },
      allowSelfApproval ? {} : { OR: [{ sentById: null }, { sentById: { not: approverIds[0]! } }] },
    ],
  };
}

/** ERP records by status, type and project, the least recently changed first: one page, and how many match. */
export async function listItems(
  db: Reader,
  query: { status?: ErpStatus; type?: ItemType; project?: string; offset: number; limit: number },
  /** Only the Ready to Export items waiting for this approver (see `waitingForOneOf`). */
  waitingFor?: { approverIds: readonly string[]; allowSelfApproval: boolean },
) {
  const where = {
    AND: [
      query.status ? { status: query.status } : {},
      waitingFor ? waitingForOneOf(waitingFor.approverIds, waitingFor.allowSelfApproval) : {},
    ],
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
      /** Ready to Export: whom its waiting step waits for (user ids); empty when any accounting approver may decide. */
      waitingFor: r.status === 'ReadyToExport' ? (r.waitingFor ?? []) : [],
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
