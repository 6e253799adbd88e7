/**
 * The custom search attributes the rounds set (ErpStatus, ErpItemType, ErpItemRef, ErpProject, all
 * Keyword), which must exist in the namespace before a round starts: a workflow that sets an unknown
 * one fails its tasks until it is added.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import { ERP_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export { ERP_SEARCH_ATTRIBUTES };

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * Adds the attributes the namespace lacks and says which it added (none when all are there). An
 * attribute of the same name and another type is refused: the rounds could not set it. Temporal Cloud
 * does not take additions this way; there they are added in the Cloud UI or with `tcld`.
 */
export async function ensureSearchAttributes(connection: Connection | NativeConnection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = { ...existing.systemAttributes, ...existing.customAttributes };
  const wrongType = ERP_SEARCH_ATTRIBUTES.filter(({ name }) => known[name] !== undefined && known[name] !== KEYWORD);
  if (wrongType.length > 0)
    throw new Error(
      `The namespace "${namespace}" has ${wrongType.map(({ name }) => name).join(', ')} with a type other than Keyword; the approval rounds need them as Keyword.`,
    );
  const missing = ERP_SEARCH_ATTRIBUTES.filter(({ name }) => known[name] === undefined).map(({ name }) => name);
  if (missing.length > 0)
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  return missing;
}
