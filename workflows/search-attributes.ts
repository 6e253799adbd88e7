import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes an operator filters by in the Temporal UI; registered on the dev server we start. */
export const ErpStatusKey = defineSearchAttributeKey('ErpStatus', SearchAttributeType.KEYWORD);
export const ErpItemTypeKey = defineSearchAttributeKey('ErpItemType', SearchAttributeType.KEYWORD);
export const ErpItemRefKey = defineSearchAttributeKey('ErpItemRef', SearchAttributeType.KEYWORD);
export const ErpProjectKey = defineSearchAttributeKey('ErpProject', SearchAttributeType.KEYWORD);

/** All four, each a Keyword: what a namespace must have before a round starts. */
export const ERP_SEARCH_ATTRIBUTES = [ErpStatusKey, ErpItemTypeKey, ErpItemRefKey, ErpProjectKey] as const;
