/** The API described from the same zod schemas that validate it. */
import { z } from 'zod';
import { ITEM_TYPES } from '../domain/item-types';
import { ERP_STATUSES, ITEM_ACTIONS } from '../domain/statuses';
import { IDENTIFIER_PATTERN } from '../domain/intake';
import { AUDIT_FORMATS } from '../domain/audit';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { description: DESCRIPTIONS[code] ?? 'Error', ...(HEADERS[code] ?? {}), ...json(ref('Error')) }]),
  );
const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid body: each failing field is listed',
  401: 'Missing or wrong bearer token',
  403: "The user lacks a permission (the message names it), would decide a round they sent (separation of duties), or is not on the round's approval route",
  404: 'Unknown item (with suggestions) or approval policy',
  409: "Not in a state for this action (says the state and who decided), not this approver's turn on the route (says whose it is), or a user's email or Slack id already taken",
  413: 'The body is over 1 MB',
  422: 'Unknown user or reference, an approver without the approver permissions, a policy that contradicts itself (an approver twice, escalation without when or whom, a zero duration), two lines with one number, an action the ERP does not support, the ERP minimum requirements are not met (every failing field listed), or an audit period that ends before it starts',
  423: 'A locked field was edited; names the fields',
  503: 'The database cannot be written right now; nothing was changed (see Retry-After)',
};
const HEADERS: Record<number, object> = {
  503: { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } } },
};
/** Refs and ids in paths and queries: what `Ref` enforces. */
const IDENTIFIER = { type: 'string', minLength: 1, maxLength: 100, pattern: IDENTIFIER_PATTERN.source, example: 'CO-7' };
const pathParam = (name: string, schema: object = IDENTIFIER) => ({ name, in: 'path', required: true, schema });
const upsert = (summary: string, param: string, body: string) => ({
  put: {
    summary,
    parameters: [pathParam(param)],
    requestBody: { required: true, ...json(ref(body)) },
    responses: { '200': { description: 'Stored' }, ...errors(400, 401, 409, 413, 422, 423, 503) },
  },
});

export function openApiDocument(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(schemas)) delete (schema as { $id?: string }).$id;

  return {
    openapi: '3.0.3',
    info: {
      title: 'ERP accounting approval — intake API',
      version: '1',
      description:
        'Source systems push users, ERP reference data and items; actions run on behalf of a named user with the same permission checks as Slack.',
    },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/users/{userId}': upsert('Create or update a user with tool permissions', 'userId', 'UserBody'),
      '/api/v1/vendors/{vendorId}': upsert('Create or update a vendor (company linked to an ERP vendor)', 'vendorId', 'VendorBody'),
      '/api/v1/cost-codes/{code}': upsert('Create or update an ERP cost code', 'code', 'CostCodeBody'),
      '/api/v1/projects/{ref}': upsert('Create or update a project', 'ref', 'ProjectBody'),
      '/api/v1/commitments/{ref}': upsert('Create or update a commitment with its schedule of values', 'ref', 'CommitmentBody'),
      '/api/v1/change-orders/{ref}': upsert('Create or update a commitment change order', 'ref', 'ChangeOrderBody'),
      '/api/v1/items/{type}/{ref}': {
        get: {
          summary:
            'An item with its ERP status, locked fields, ERP id, reviewed snapshot (erp.reviewed), the actions possible now ' +
            '(erp.availableActions) and why the others are not (erp.unavailable), and its change history',
          parameters: [
            pathParam('type', { type: 'string', enum: ITEM_TYPES }),
            pathParam('ref'),
            {
              name: 'as',
              in: 'query',
              description: "A user id: also check that user's permissions and separation of duties",
              schema: IDENTIFIER,
            },
          ],
          responses: { '200': { description: 'The item' }, ...errors(400, 401, 404, 422) },
        },
      },
      '/api/v1/items': {
        get: {
          summary: 'Items by ERP status, type and project (e.g. Ready to Export, Failed to Export)',
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ERP_STATUSES } },
            { name: 'type', in: 'query', schema: { type: 'string', enum: ITEM_TYPES } },
            { name: 'project', in: 'query', schema: IDENTIFIER },
            {
              name: 'waitingFor',
              in: 'query',
              description: "A user id: only the Ready to Export items waiting for that approver's decision",
              schema: IDENTIFIER,
            },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 } },
          ],
          responses: { '200': { description: 'Matching items' }, ...errors(400, 401, 422) },
        },
      },
      '/api/v1/decisions': {
        post: {
          summary:
            'Accept several items at once for one approver: each is its own decision with every check of one accept, and a refusal of one does not stop the others',
          requestBody: { required: true, ...json(ref('BulkDecisionBody')) },
          responses: {
            '200': {
              description:
                '{ by, action, counts: { accepted, approved, refused, failed }, results: [{ type, ref, outcome, status } or { type, ref, outcome, error, message }] } in the order given',
            },
            ...errors(400, 401, 413, 422),
          },
        },
      },
      '/api/v1/audit': {
        get: {
          summary:
            'Every move of every item from one day to another (both included, in the company time zone): item, round, who and on behalf of whom, when, what, the reason or message, and the reviewed snapshot hash. Streamed, oldest first.',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date', example: '2026-01-01' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date', example: '2026-12-31' } },
            { name: 'format', in: 'query', schema: { type: 'string', enum: AUDIT_FORMATS, default: 'json' } },
            {
              name: 'as',
              in: 'query',
              description:
                "A user id: read on behalf of that person, who must hold 'ReadOnly' or more on the company's ERP Integrations tool (auditors and approvers do)",
              schema: IDENTIFIER,
            },
          ],
          responses: {
            '200': {
              description:
                'JSON { from, to, timeZone, entries: [...], count }, or CSV (UTF-8 with a byte order mark, one row per move; cells a spreadsheet would run as formulas start with an apostrophe)',
              content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 403, 422, 503),
          },
        },
      },
      '/api/v1/items/{type}/{ref}/reject': {
        post: {
          summary: 'Reject an item on behalf of an accounting approver, with the reason the creator reads',
          parameters: [pathParam('type', { type: 'string', enum: ITEM_TYPES }), pathParam('ref')],
          requestBody: { required: true, ...json(ref('RejectBody')) },
          responses: { '200': { description: 'The item after the action' }, ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/items/{type}/{ref}/{action}': {
        post: {
          summary: 'Send, re-send, retrieve, accept, retry the export of, or void an item on behalf of a user',
          parameters: [
            pathParam('type', { type: 'string', enum: ITEM_TYPES }),
            pathParam('ref'),
            pathParam('action', { type: 'string', enum: ITEM_ACTIONS.filter((action) => action !== 'reject') }),
          ],
          requestBody: { required: true, ...json(ref('ActionBody')) },
          responses: { '200': { description: 'The item after the action' }, ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/approval-policies': {
        get: {
          summary: 'Every approval policy, the most specific first (precedence 1 is tried first), each with what it applies to in words',
          responses: { '200': { description: 'The policies' }, ...errors(401) },
        },
      },
      '/api/v1/approval-policies/{policyId}': {
        get: {
          summary: 'One approval policy',
          parameters: [pathParam('policyId')],
          responses: { '200': { description: 'The policy' }, ...errors(400, 401, 404) },
        },
        put: {
          summary:
            'Create or replace an approval policy: which items it applies to and its ordered steps. Rounds already open keep the route they started with.',
          parameters: [pathParam('policyId')],
          requestBody: { required: true, ...json(ref('ApprovalPolicyBody')) },
          responses: { '200': { description: 'Stored' }, ...errors(400, 401, 413, 422, 503) },
        },
        delete: {
          summary: 'Remove an approval policy (rounds already open keep the route they started with)',
          parameters: [pathParam('policyId')],
          responses: { '200': { description: 'Removed' }, ...errors(400, 401, 404, 503) },
        },
      },
      '/api/v1/users/{userId}/delegation': {
        get: {
          summary: "An approver's out-of-office delegation, and whether it holds today",
          parameters: [pathParam('userId')],
          responses: { '200': { description: 'The delegation' }, ...errors(400, 401, 404) },
        },
        put: {
          summary:
            'Mark an approver away from one date to another (both included, on the company calendar): their requests go to the delegate, who decides on their behalf. Replaces any earlier one.',
          parameters: [pathParam('userId')],
          requestBody: { required: true, ...json(ref('DelegationBody')) },
          responses: { '200': { description: 'Stored' }, ...errors(400, 401, 404, 413, 422, 503) },
        },
        delete: {
          summary: "End an approver's delegation (they decide for themselves again)",
          parameters: [pathParam('userId')],
          responses: { '200': { description: 'Ended' }, ...errors(400, 401, 404, 503) },
        },
      },
      '/api/v1/calendar': {
        get: {
          summary: 'The company calendar reminders and escalations count working time in (Monday to Friday 09:00-17:00 UTC until set)',
          responses: { '200': { description: 'The calendar' }, ...errors(401) },
        },
        put: {
          summary:
            'Set the company calendar: time zone, working days and hours, holidays. Reminders already scheduled keep their time; the next ones are counted on the new calendar.',
          requestBody: { required: true, ...json(ref('CalendarBody')) },
          responses: { '200': { description: 'Stored, the time zone in its canonical name' }, ...errors(400, 401, 413, 422, 503) },
        },
      },
      '/healthz': {
        get: {
          summary: 'Process, database and Temporal connection',
          security: [],
          responses: { '200': { description: 'Healthy' }, '503': { description: 'A dependency is down' } },
        },
      },
    },
  };
}
