import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes an operator filters by in the Temporal UI; registered on the dev server we start. */
export const ErpStatusKey = defineSearchAttributeKey('ErpStatus', SearchAttributeType.KEYWORD);
export const ErpItemTypeKey = defineSearchAttributeKey('ErpItemType', SearchAttributeType.KEYWORD);
export const ErpItemRefKey = defineSearchAttributeKey('ErpItemRef', SearchAttributeType.KEYWORD);
export const ErpProjectKey = defineSearchAttributeKey('ErpProject', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = ['ErpStatus', 'ErpItemType', 'ErpItemRef', 'ErpProject'] as const;
