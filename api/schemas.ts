/**
 * The intake API's bodies and answers. Request validation, TypeScript types and the OpenAPI document
 * all come from these schemas; what source systems push is in `domain/intake.ts`.
 */
import { z } from 'zod';
import { ERP_STATUSES, ITEM_ACTIONS } from '../domain/statuses';
import { ITEM_TYPES } from '../domain/item-types';
import { BULK_MAX } from '../domain/actions';
import { REASON_MAX, REASON_REQUIRED, VISIBLE } from '../domain/text';
import { id, Ref, storable } from '../domain/intake';
import { AUDIT_FORMATS, AuditPeriod } from '../domain/audit';

/** The round a decision is about, as the item view showed it: refused when the item has been sent again since. */
const ReviewedRound = z
  .number()
  .int()
  .min(1)
  .optional()
  .meta({ description: "The round the decider reviewed (the item's erp.round): refused with 409 if the item was sent again since" });

export const ActionBody = z
  .strictObject({
    by: id.meta({ description: 'The user on whose behalf the action is taken', example: 'u-pat' }),
    reason: storable(REASON_MAX).optional().meta({ description: 'Optional when voiding' }),
    description: storable(REASON_MAX).optional().meta({ description: 'Optional note when accepting' }),
    round: ReviewedRound,
  })
  .meta({ id: 'ActionBody' });

/** A rejection always says why: the creator reads it. */
export const RejectBody = z
  .strictObject({
    by: id.meta({ description: 'The accounting approver rejecting it', example: 'u-dana' }),
    reason: storable(REASON_MAX)
      .regex(VISIBLE, REASON_REQUIRED)
      .meta({ description: 'What the creator must fix (required)', example: 'Split the labor into its own change order.' }),
    round: ReviewedRound,
  })
  .meta({ id: 'RejectBody' });

/** Month-end: one approver accepts many items, each its own decision. */
export const BulkDecisionBody = z
  .strictObject({
    by: id.meta({ description: 'The accounting approver deciding', example: 'u-dana' }),
    action: z.literal('accept').meta({ description: 'Only accept: a rejection needs its own reason' }),
    items: z
      .array(z.strictObject({ type: z.enum(ITEM_TYPES), ref: Ref }))
      .min(1)
      .max(BULK_MAX)
      .meta({ description: `At most ${BULK_MAX}; an item named twice is decided once` }),
    description: storable(REASON_MAX).optional().meta({ description: 'One optional note for every accept' }),
  })
  .meta({ id: 'BulkDecisionBody' });

export const ItemTypeParam = z.enum(ITEM_TYPES);
export const ActionParam = z.enum(ITEM_ACTIONS);

/** A whole number in a query string: digits only (no spaces, signs or exponents), then bounded. */
const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const ItemQuery = z.object({
  as: id.optional().meta({ description: "A user id: also check that person's permissions, and separation of duties, for each action" }),
});

export const ListQuery = z.object({
  status: z.enum(ERP_STATUSES).optional(),
  type: z.enum(ITEM_TYPES).optional(),
  project: Ref.optional(),
  waitingFor: id.optional().meta({
    description:
      "A user id: only the Ready to Export items waiting for that approver's decision (their step, any approver's, or that of an approver away who delegated to them)",
  }),
  limit: queryInteger(1, 500).default(100),
  offset: queryInteger(0, 1_000_000_000).default(0),
});

/** Strict: a parameter spelt otherwise (`FORMAT=csv`) is refused, not quietly ignored for the default. */
export const AuditQuery = z.strictObject({
  ...AuditPeriod.shape,
  format: z.enum(AUDIT_FORMATS).default('json').meta({ description: 'csv for a spreadsheet, json for a program' }),
  as: id.optional().meta({
    description:
      "A user id: the export is read on that person's behalf, who must hold 'ReadOnly' or more on the company's ERP Integrations tool",
  }),
});

export const ErrorBody = z
  .object({
    error: z.string().meta({ description: 'A stable code, e.g. permission_denied, item_locked' }),
    message: z.string().meta({ description: 'Words for a person' }),
  })
  .loose()
  .meta({ id: 'Error' });

export type ActionInput = z.infer<typeof ActionBody>;
export type ListInput = z.infer<typeof ListQuery>;
