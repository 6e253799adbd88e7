/**
 * The HTTP intake API under /api/v1 (bearer API_TOKEN) and /healthz. Handlers stay thin: parse with
 * zod, call the intake or the approval desk, answer JSON.
 */
import { companyZone } from '../domain/erp-profiles/profile';
import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ApprovalDesk } from '../services/approval-desk';
import type { Intake } from '../store/intake';
import { listItems } from '../store/items';
import { standingFor } from '../store/queues';
import { findActor } from '../store/users';
import { UnknownUser } from '../domain/errors';
import { assertMayAudit, isAccountingApprover } from '../domain/permissions';
import type { Db } from '../store/prisma';
import { errorHandler, RequestProblem, zodProblem } from './errors';
import { openApiDocument } from './openapi';
import { ActionBody, ActionParam, AuditQuery, BulkDecisionBody, ItemQuery, ItemTypeParam, ListQuery, RejectBody } from './schemas';
import { assertPeriod, auditFilename } from '../domain/audit';
import { ExportSlots, ReaderGone, writeAudit, writer } from '../services/audit';
import {
  CalendarBody,
  DelegationBody,
  ChangeOrderBody,
  CommitmentBody,
  CostCodeBody,
  PolicyBody,
  ProjectBody,
  Ref,
  UserBody,
  VendorBody,
} from '../domain/intake';
import { deletePolicy, findPolicy, listPolicies, putPolicy } from '../store/policies';
import { policyView, policiesView } from './policies';
import { getCalendar, putCalendar } from '../store/calendar';
import { deleteDelegation, findDelegation, putDelegation, type HeldDelegation } from '../store/delegations';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

export interface ApiDeps {
  db: Db;
  desk: ApprovalDesk;
  intake: Intake;
  apiToken: string;
  health: HealthCheck[];
  /** Whether Slack is configured (said in /healthz, so a client knows whether notices go to Slack). */
  slackConfigured?: boolean;
  /** Other routes served on the same port (the Slack endpoint), mounted before the API's catch-all. */
  mount?: (app: express.Express) => void;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path'): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestProblem(400, zodProblem(result.error, where));
  return result.data;
}

function bearer(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    // The scheme's name is case-insensitive in HTTP ("bearer" is "Bearer"); the token is compared whole.
    const [scheme = '', ...rest] = (req.get('authorization') ?? '').split(' ');
    const given = Buffer.from(scheme.toLowerCase() === 'bearer' ? rest.join(' ') : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new RequestProblem(401, {
        error: 'unauthorized',
        message: 'A valid bearer token is required (Authorization: Bearer <API_TOKEN>).',
      });
    }
    next();
  };
}

type Method = 'get' | 'put' | 'post' | 'delete';

/** A route that takes the given methods; any other gets 405 with `Allow`. */
function only(router: express.Router | express.Express, method: Method, path: string, handler: RequestHandler): void {
  methods(router, path, { [method]: handler });
}

function methods(router: express.Router | express.Express, path: string, handlers: Partial<Record<Method, RequestHandler>>): void {
  const route = router.route(path);
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler][]) route[method](handler);
  const allowed = Object.keys(handlers)
    .map((method) => method.toUpperCase())
    .join(', ');
  route.all((req, res) => {
    res.set('allow', allowed);
    throw new RequestProblem(405, { error: 'method_not_allowed', message: `${req.method} is not allowed here; use ${allowed}.` });
  });
}

const jsonSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

export function createApi({ db, desk, intake, apiToken, health, slackConfigured = false, mount }: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json replacer', jsonSafe);

  // Open to anyone who can reach the port, so it says a word per part; the details go to the log.
  only(app, 'get', '/healthz', async (_req, res) => {
    const checks: Record<string, string> = { process: 'ok' };
    for (const { name, check } of health) {
      try {
        await check();
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = 'down';
        console.error(`Health check "${name}" failed`, err);
      }
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks, slack: slackConfigured ? 'configured' : 'not configured' });
  });

  mount?.(app);

  const v1 = express.Router();
  only(v1, 'get', '/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  v1.use(bearer(apiToken));
  v1.use(express.json({ limit: '1mb' }));

  const ref = (value: unknown) => parse(Ref, value, 'path');

  only(v1, 'put', '/users/:userId', async (req, res) => {
    const user = await intake.upsertUser(ref(req.params.userId), parse(UserBody, req.body, 'body'));
    res.json({ id: user.id, name: user.name, email: user.email });
  });
  const noDelegation = (id: string) =>
    new RequestProblem(404, { error: 'no_delegation', message: `User "${id}" has no delegation (is not marked away).` });
  const delegationView = (held: HeldDelegation) => ({
    userId: held.approver.id,
    to: held.to.id,
    from: held.from,
    until: held.until,
    approver: held.approver,
    delegate: held.to,
    /** Whether requests go to the delegate today (on the company calendar). */
    active: held.active,
  });
  methods(v1, '/users/:userId/delegation', {
    get: async (req, res) => {
      const id = ref(req.params.userId);
      const delegation = await findDelegation(db, id);
      if (!delegation) throw noDelegation(id);
      res.json(delegationView(delegation));
    },
    put: async (req, res) => {
      res.json(delegationView(await putDelegation(db, ref(req.params.userId), parse(DelegationBody, req.body, 'body'))));
    },
    delete: async (req, res) => {
      const id = ref(req.params.userId);
      if (!(await deleteDelegation(db, id))) throw noDelegation(id);
      res.json({ userId: id, ended: true });
    },
  });
  only(v1, 'put', '/vendors/:vendorId', async (req, res) => {
    res.json(await intake.upsertVendor(ref(req.params.vendorId), parse(VendorBody, req.body, 'body')));
  });
  only(v1, 'put', '/cost-codes/:code', async (req, res) => {
    res.json(await intake.upsertCostCode(ref(req.params.code), parse(CostCodeBody, req.body, 'body')));
  });
  only(v1, 'put', '/projects/:ref', async (req, res) => {
    const key = ref(req.params.ref);
    await intake.upsertProject(key, parse(ProjectBody, req.body, 'body'));
    res.json(await desk.view('project', key));
  });
  only(v1, 'put', '/commitments/:ref', async (req, res) => {
    const key = ref(req.params.ref);
    await intake.upsertCommitment(key, parse(CommitmentBody, req.body, 'body'));
    res.json(await desk.view('commitment', key));
  });
  only(v1, 'put', '/change-orders/:ref', async (req, res) => {
    const key = ref(req.params.ref);
    await intake.upsertChangeOrder(key, parse(ChangeOrderBody, req.body, 'body'));
    res.json(await desk.view('cco', key));
  });

  only(v1, 'get', '/approval-policies', async (_req, res) => {
    res.json(policiesView(await listPolicies(db)));
  });
  const noPolicy = (id: string) => new RequestProblem(404, { error: 'unknown_policy', message: `There is no approval policy "${id}".` });
  methods(v1, '/approval-policies/:policyId', {
    get: async (req, res) => {
      const id = ref(req.params.policyId);
      const policy = await findPolicy(db, id);
      if (!policy) throw noPolicy(id);
      res.json(policyView(policy));
    },
    put: async (req, res) => {
      const id = ref(req.params.policyId);
      res.json(policyView(await putPolicy(db, id, parse(PolicyBody, req.body, 'body'))));
    },
    delete: async (req, res) => {
      const id = ref(req.params.policyId);
      if (!(await deletePolicy(db, id))) throw noPolicy(id);
      res.json({ id, deleted: true });
    },
  });

  methods(v1, '/calendar', {
    get: async (_req, res) => {
      res.json(await getCalendar(db));
    },
    put: async (req, res) => {
      res.json(await putCalendar(db, parse(CalendarBody, req.body, 'body')));
    },
  });

  only(v1, 'get', '/items', async (req, res) => {
    const query = parse(ListQuery, req.query, 'query');
    if (!query.waitingFor) return void res.json(await listItems(db, query));
    // Nothing waits for the decision of someone who may not decide.
    const approver = await findActor(db, query.waitingFor);
    if (!approver) throw new UnknownUser(`waitingFor: there is no user "${query.waitingFor}".`);
    if (!isAccountingApprover(approver)) return void res.json({ total: 0, items: [] });
    res.json(
      await listItems(db, query, { approverIds: await standingFor(db, query.waitingFor), allowSelfApproval: desk.rules.allowSelfApproval }),
    );
  });

  only(v1, 'get', '/items/:type/:ref', async (req, res) => {
    const { as } = parse(ItemQuery, req.query, 'query');
    res.json(await desk.view(parse(ItemTypeParam, req.params.type, 'path'), ref(req.params.ref), as));
  });

  // Each export holds a database connection while it runs: two at once leave the rest of the pool to everything else.
  const exports = new ExportSlots(2);
  only(v1, 'get', '/audit', async (req, res) => {
    const { format, as, ...period } = parse(AuditQuery, req.query, 'query');
    assertPeriod(period);
    if (as) assertMayAudit(await desk.actor(as));
    const release = exports.take();
    if (!release) {
      res.set('retry-after', '30');
      throw new RequestProblem(503, {
        error: 'exports_busy',
        message: `${exports.size} audit exports are being written already; try again in a moment.`,
      });
    }
    res.once('close', release);
    res.set({
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${auditFilename(period, format)}"`,
      'cache-control': 'no-store',
    });
    try {
      await writeAudit(db, { ...period, format }, companyZone(desk.rules.settings), writer(res));
      res.end();
    } catch (err) {
      if (!res.headersSent) throw err;
      // Part of the file has gone: cut the connection, so the reader sees an incomplete download, not a shorter file.
      if (err instanceof ReaderGone) console.warn(`The audit export from ${period.from} to ${period.to} stopped: ${err.message}`);
      else console.error('The audit export stopped part way', err);
      res.destroy();
    } finally {
      release();
    }
  });

  only(v1, 'post', '/decisions', async (req, res) => {
    const body = parse(BulkDecisionBody, req.body, 'body');
    await desk.actor(body.by);
    const results = await desk.acceptMany(body.items, { by: body.by, ...(body.description ? { description: body.description } : {}) });
    // Each item counted once, however often it was named.
    const count = (outcome: string) => results.filter((result) => result.outcome === outcome && result.duplicateOf === undefined).length;
    res.json({
      by: body.by,
      action: body.action,
      counts: { accepted: count('accepted'), approved: count('approved'), refused: count('refused'), failed: count('failed') },
      results,
    });
  });

  only(v1, 'post', '/items/:type/:ref/:action', async (req, res) => {
    const type = parse(ItemTypeParam, req.params.type, 'path');
    const action = parse(ActionParam, req.params.action, 'path');
    const body = action === 'reject' ? parse(RejectBody, req.body, 'body') : parse(ActionBody, req.body, 'body');
    res.json(await desk.act(action, type, ref(req.params.ref), body));
  });

  app.use('/api/v1', v1);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such route. The API is described at /api/v1/openapi.json.' });
  });
  app.use(errorHandler);
  return app;
}
