/**
 * What source systems push: users, reference data and items, as zod schemas. The intake API validates
 * its bodies with them and publishes them in its OpenAPI document; the store's upserts take their types.
 */
import { z } from 'zod';
import { ITEM_TYPES, TOOLS } from './item-types';
import { BUSINESS_DURATION, QUORUMS } from './routing';
import { PERMISSION_LEVELS } from './permissions';
import { parseAmount } from './items';
import { INVISIBLE, isStorableText, isWellFormed, UNSTORABLE_TEXT, VISIBLE } from './text';

/**
 * Characters no identifier may hold: the slash, and every character a person cannot see (they would
 * make two refs look alike). A plain character class, so the published OpenAPI pattern is the one enforced.
 */
const NOT_IN_IDENTIFIERS = `${INVISIBLE}/`;
export const IDENTIFIER_PATTERN = new RegExp(`^[^${NOT_IN_IDENTIFIERS}]+$`);

/**
 * Free text: checked as given (at most `max` characters, not blank), then stored without surrounding
 * spaces, so the published limits are the enforced ones.
 */
const text = (max: number) => storable(max).regex(VISIBLE, 'must not be blank').trim();
/**
 * Any string that reaches the database: at most `max` characters, and text PostgreSQL can store. The
 * NUL rule is published as a pattern; unpaired surrogates, which JSON clients rarely send, are checked
 * besides.
 */
export function storable(max: number) {
  return (
    z
      .string()
      .max(max)
      // eslint-disable-next-line no-control-regex -- NUL is the character refused here.
      .regex(/^[^\u0000]*$/, 'must not contain NUL characters')
      .refine(isWellFormed, 'must not contain unpaired surrogates')
  );
}
export const id = storable(100).min(1).regex(IDENTIFIER_PATTERN, 'must not contain spaces, slashes, control or invisible characters');

/**
 * An email address as mail servers take it: a dot-atom local part of at most 64 characters, host labels
 * that neither start nor end with '-', a top-level domain of letters. Published as the pattern it is.
 */
const EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Money as a number or decimal string with at most two decimals; carried as integer cents. */
export const Amount = z
  .union([
    // Whole cents and below 10^13, as the document says (multipleOf, bounds).
    z.number().multipleOf(0.01).gt(-1e13).lt(1e13),
    z.string().regex(/^-?\d{1,13}(\.\d{1,2})?$/, 'must be a decimal amount like 1250.50'),
  ])
  // A number's cents are whole up to the float's own precision at that size.
  .refine((value) => {
    const cents = Number(value) * 100;
    return Math.abs(cents - Math.round(cents)) <= 1e-6 + 8 * Number.EPSILON * Math.abs(cents);
  }, 'must have at most two decimals')
  .refine((value) => Math.abs(Number(value)) < 1e13, 'is too large')
  .transform((value) => parseAmount(value))
  .meta({ description: 'Amount in the company currency, at most two decimals, e.g. 1250.50', example: '1250.50' });

export const Ref = id.meta({ description: "The source system's reference" });

const LineNo = z.number().int().min(1).max(1_000_000);

// Bodies that grant privileges or decide refuse fields they do not know: a misspelt privilege
// ("canPushToAcounting") or a flag the API does not have ("dryRun") must not pass silently. Item
// bodies, which source systems fill with far more than the ERP needs, ignore what they do not use.
export const UserBody = z
  .strictObject({
    name: text(200),
    // Stored in lower case: one person, one address, whatever case a source system or Slack writes it in.
    email: z
      .email({ pattern: EMAIL })
      .max(254)
      .transform((email) => email.toLowerCase()),
    slackId: z
      .string()
      .regex(/^[A-Z0-9]{1,40}$/, 'must be a Slack user id such as U0123ABCD')
      .nullish(),
    canPushToAccounting: z.boolean().default(false),
    permissions: z
      .array(
        z.strictObject({
          tool: z.enum(TOOLS),
          level: z.enum(PERMISSION_LEVELS),
          project: Ref.optional().meta({ description: 'Project ref; omit for a company-level grant' }),
        }),
      )
      .max(500)
      .default([]),
  })
  .meta({ id: 'UserBody' });

export const VendorBody = z
  .object({
    name: text(200),
    erpVendorId: text(60).nullish().meta({ description: 'The ERP vendor this company is linked to' }),
  })
  .meta({ id: 'VendorBody' });

export const CostCodeBody = z
  .object({
    description: text(200),
    categories: z.array(text(60)).max(50).default([]),
  })
  .meta({ id: 'CostCodeBody' });

const createdAt = z.iso.datetime({ offset: true }).optional().meta({
  description:
    'When the item was created in the source system. Set by the first intake and never changed; exported as the ERP commitment date (calendar day in COMPANY_TIME_ZONE).',
});

const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(isStorableText, UNSTORABLE_TEXT)
  .nullish()
  .meta({ description: 'The item in the source system ("View Online"), linked from notices' });

export const ProjectBody = z
  .object({
    name: text(200),
    number: text(40).nullish(),
    createdBy: id,
    createdAt,
    url,
  })
  .meta({ id: 'ProjectBody' });

export const CommitmentBody = z
  .object({
    project: Ref,
    kind: z.enum(['subcontract', 'purchase_order']),
    number: text(40),
    title: text(255),
    description: storable(20_000).default(''),
    status: text(40),
    vendorId: id.nullish().meta({ description: 'The contract company' }),
    createdBy: id,
    createdAt,
    url,
    sovLines: z
      .array(
        z.object({
          lineNo: LineNo,
          description: storable(1000).default(''),
          costCode: id.nullish().meta({ description: 'A cost code pushed with PUT /cost-codes/{code}' }),
          category: text(60).nullish(),
          amount: Amount,
        }),
      )
      .max(2000)
      .default([]),
  })
  .meta({ id: 'CommitmentBody' });

export const ChangeOrderBody = z
  .object({
    commitment: Ref,
    number: text(40),
    erpNumber: text(40).nullish().meta({ description: 'The id the ERP will use; empty to use the number' }),
    title: text(255),
    description: storable(20_000).default(''),
    status: text(40),
    createdBy: id,
    createdAt,
    url,
    lines: z
      .array(
        z.object({
          lineNo: LineNo,
          sovLineNo: LineNo.meta({ description: "The commitment's schedule-of-values line it modifies" }),
          description: storable(1000).default(''),
          amount: Amount,
        }),
      )
      .max(2000)
      .default([]),
  })
  .meta({ id: 'ChangeOrderBody' });

export type UserInput = z.infer<typeof UserBody>;
export type VendorInput = z.infer<typeof VendorBody>;
export type CostCodeInput = z.infer<typeof CostCodeBody>;
export type ProjectInput = z.infer<typeof ProjectBody>;
export type CommitmentInput = z.infer<typeof CommitmentBody>;
export type ChangeOrderInput = z.infer<typeof ChangeOrderBody>;

/**
 * A duration in the company calendar's working time, as ISO-8601 writes it: weeks, days, hours and
 * minutes (`PT4H`, `P1D`, `P1DT4H`). Years and months are refused: their length in working time is
 * not defined.
 */
export const BusinessDuration = z
  .string()
  .max(40)
  .regex(BUSINESS_DURATION, 'must be an ISO-8601 duration of weeks, days, hours and minutes, such as PT4H or P1DT2H')
  .meta({ description: 'ISO-8601 duration counted in working time (weeks, days, hours, minutes), longer than zero', example: 'PT8H' });

// What no schema states (an approver named twice, escalation without both its when and its whom, a
// zero duration, a negative minimum) is refused with 422 by `policyProblems`, naming the field.
const PolicyStepBody = z.strictObject({
  name: text(100),
  approvers: z.array(id).min(1).max(50).meta({ description: 'User ids, each once; each needs the accounting approver permissions' }),
  quorum: z.enum(QUORUMS).default('any').meta({ description: 'any: one approval ends the step; all: every approver must approve' }),
  remindAfter: BusinessDuration.nullish(),
  escalateAfter: BusinessDuration.nullish().meta({ description: 'When to add escalateTo to the step (both or neither)' }),
  escalateTo: z.array(id).max(50).default([]).meta({ description: 'User ids added to the step once escalateAfter has passed' }),
});

// Decides who approves what: unknown fields are refused, as for users' permissions.
export const PolicyBody = z
  .strictObject({
    name: text(200),
    appliesTo: z
      .strictObject({
        types: z.array(z.enum(ITEM_TYPES)).max(ITEM_TYPES.length).optional().meta({ description: 'Omit for every item type' }),
        projects: z.array(Ref).max(1000).optional().meta({ description: 'Project refs; omit for every project' }),
        minAmount: Amount.optional().meta({
          description: 'Applies to items whose total is at least this (never to a project, which has none); not negative',
        }),
      })
      .default({}),
    steps: z.array(PolicyStepBody).min(1).max(10).meta({ description: 'In order; each ends when its quorum has approved' }),
    slackChannel: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,40}$/, "must be a Slack channel id such as C0123ABCD (in the channel's details), not its name")
      .nullish()
      .meta({
        description:
          "The project's channel: the review requests of the items this policy routes are posted there, and each step's approvers are asked in the request's thread, instead of SLACK_APPROVERS_CHANNEL and direct messages. Invite the bot to it.",
      }),
  })
  .meta({ id: 'ApprovalPolicyBody' });

export type PolicyInput = z.infer<typeof PolicyBody>;

const Clock = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a 24-hour local time HH:MM, such as 08:00')
  .meta({ example: '08:00' });

export const CalendarDate = z.iso.date().meta({ description: 'A local date, YYYY-MM-DD', example: '2026-12-25' });

// A zone the runtime does not know, hours that end before they start and a weekday given twice are
// refused with 422 by `calendarProblems`, naming the field.
export const CalendarBody = z
  .strictObject({
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'IANA time zone; any case, stored as the canonical name', example: 'America/Chicago' }),
    workdays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .meta({ description: 'ISO weekdays that are working days: 1 = Monday … 7 = Sunday', example: [1, 2, 3, 4, 5] }),
    hours: z.strictObject({ start: Clock, end: Clock }).meta({ description: 'Working hours of each working day, local time' }),
    holidays: z.array(CalendarDate).max(2000).default([]).meta({ description: 'Local dates that are not working days' }),
  })
  .meta({ id: 'CalendarBody' });

export type CalendarInput = z.infer<typeof CalendarBody>;

export const DelegationBody = z
  .strictObject({
    to: id.meta({ description: 'The delegate: a user with the accounting approver permissions, not the approver' }),
    from: CalendarDate.meta({ description: 'First day away (local date on the company calendar), included' }),
    until: CalendarDate.meta({ description: 'Last day away, included; not in the past' }),
  })
  .meta({ id: 'DelegationBody' });

export type DelegationInput = z.infer<typeof DelegationBody>;
