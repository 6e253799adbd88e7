/**
 * `npm run demo`: walks a change order through send, reject, re-send, accept and export against the
 * running system (its HTTP API), printing what each person sees. Start the system first (`npm start`)
 * and pass the API token it printed: `API_TOKEN=… npm run demo`.
 */
import { approvalWorkflowId } from '../domain/item-types';
import * as company from '../services/demo-company';
import { loadConfig } from '../runtime/config';
import { runMain } from '../runtime/startup';

/** What the demo reads of the API's answers: an item view, or a refusal's message. */
interface Answer {
  message?: string;
  status?: string;
  slack?: string;
  erp: {
    status: string;
    statusLabel: string;
    erpId: string | null;
    exportError: string | null;
    lastRejectionReason: string | null;
    availableActions: string[];
    reviewed: { hash: string } | null;
  };
  review: { changes: { label: string; from: string | null; to: string | null }[] | null } | null;
  history: { at: string; action: string; by: { name: string } | null; reason: string | null; message: string | null }[];
}
type Json = Record<string, unknown>;

runMain(async () => {
  const config = loadConfig();
  const base = process.env.DEMO_API_URL ?? `http://localhost:${config.PORT}`;
  if (!config.API_TOKEN) throw new Error('Set API_TOKEN to the token `npm start` printed (or your own), e.g. API_TOKEN=… npm run demo');

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${config.API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(() => {
      throw new Error(`Nothing answers at ${base}. Start the system first with \`npm start\`.`);
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    if (answer.status >= 400) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.message}`);
    return answer.body;
  };
  const act = (type: string, ref: string, action: string, by: string, extra: Json = {}) =>
    call('POST', `/api/v1/items/${type}/${ref}/${action}`, { by, ...extra });
  const waitFor = async (type: string, ref: string, statuses: string[]) => {
    for (let i = 0; i < 600; i++) {
      const item = await ok('GET', `/api/v1/items/${type}/${ref}`);
      if (statuses.includes(item.erp.status)) return item;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${ref} did not reach ${statuses.join(' or ')} within a minute; is the worker running?`);
  };
  const say = (who: string, text: string) => console.log(`  ${who.padEnd(22)} ${text}`);

  const health = await fetch(`${base}/healthz`)
    .then((r) => r.json() as Promise<{ status: string; slack: string }>)
    .catch(() => undefined);
  if (!health) throw new Error(`Nothing answers at ${base}. Start the system first with \`npm start\`.`);
  const slack = health.slack === 'configured';
  console.log(`Demo against ${base} (health: ${health.status}; Slack ${slack ? 'configured' : 'not configured'})\n`);
  // Without Slack the notices are still recorded; say where a person would see them.
  const told = (inSlack: string, otherwise: string) =>
    slack ? inSlack : `${otherwise} (Slack is not configured, so no message is posted)`;

  // The company's reference data and parents, pushed as a source system would.
  for (const [id, body] of Object.entries(company.users)) await ok('PUT', `/api/v1/users/${id}`, body);
  for (const [id, body] of Object.entries(company.vendors)) await ok('PUT', `/api/v1/vendors/${id}`, body);
  for (const [code, body] of Object.entries(company.costCodes)) await ok('PUT', `/api/v1/cost-codes/${code}`, body);
  await call('PUT', `/api/v1/projects/${company.PROJECT}`, company.project);
  await call('PUT', `/api/v1/commitments/${company.SUBCONTRACT}`, company.commitments[company.SUBCONTRACT]);
  for (const [ref, { note: _note, ...body }] of Object.entries(company.changeOrders))
    await call('PUT', `/api/v1/change-orders/${ref}`, body);
  for (const [type, ref] of [
    ['project', company.PROJECT],
    ['commitment', company.SUBCONTRACT],
  ] as const) {
    const item = await ok('GET', `/api/v1/items/${type}/${ref}`);
    if (item.erp.status === 'Synced') continue;
    if (item.erp.availableActions.includes('send')) await act(type, ref, 'send', 'u-pat');
    if (item.erp.availableActions.includes('resend')) await act(type, ref, 'resend', 'u-pat');
    await act(type, ref, 'accept', 'u-dana');
    const synced = await waitFor(type, ref, ['Synced']);
    console.log(`(${type} ${ref} is in the ERP as ${synced.erp.erpId})`);
  }

  const number = `D${String(Date.now()).slice(-4)}`;
  const ref = `CO-${number}`;
  const { note: _note, ...template } = company.changeOrders['CO-001']!;
  const draft = { ...template, number, createdAt: new Date().toISOString() };
  await ok('PUT', `/api/v1/change-orders/${ref}`, draft);
  console.log(`\n1. Change order ${ref} "${draft.title}" on ${company.SUBCONTRACT}, $9,935.50\n`);

  const denied = await act('cco', ref, 'send', 'u-eli');
  say('Eli (field engineer)', `tries to send it → ${denied.status}: ${denied.body.message}`);
  const sent = await act('cco', ref, 'send', 'u-pat');
  say('Pat (project manager)', `sends it to ERP → ${sent.body.erp.statusLabel}; every field the ERP gets is locked, lines included`);
  say('', `the reviewed snapshot is frozen: sha256:${sent.body.erp.reviewed?.hash}`);
  say(
    'Dana (accounting)',
    told(
      `sees a review request in the approvers' channel with Accept and Reject`,
      'finds it Ready to Export in GET /api/v1/items?status=ReadyToExport',
    ),
  );

  const rejected = await act('cco', ref, 'reject', 'u-dana', { reason: 'Split the footing labor into its own change order, please.' });
  say('Dana (accounting)', `rejects it with a reason → ${rejected.body.erp.statusLabel}`);
  say(
    'Pat (project manager)',
    told(
      `gets a DM "${config.COMPANY_NAME}: ERP Commitment Rejection Notification": “${rejected.body.erp.lastRejectionReason}” with Re-send and Void buttons`,
      `finds it Rejected with the reason “${rejected.body.erp.lastRejectionReason}”`,
    ),
  );

  await ok('PUT', `/api/v1/change-orders/${ref}`, { ...draft, lines: draft.lines!.filter((line) => line.lineNo !== 2) });
  const resent = await act('cco', ref, 'resend', 'u-pat');
  say('Pat (project manager)', `removes the labor line (now unlocked) and re-sends → ${resent.body.erp.statusLabel}`);
  const changes = resent.body.review?.changes ?? [];
  say(
    'Dana (accounting)',
    told(
      'is told at once: a new review request with the previous rejection reason and what changed',
      'can see the previous rejection reason and what changed',
    ),
  );
  for (const change of changes) say('', `  ${change.label}: ${change.from ?? '(none)'} → ${change.to ?? '(removed)'}`);

  const accepted = await act('cco', ref, 'accept', 'u-dana', { description: 'Matches RFI 014' });
  say('Dana (accounting)', `accepts (Export) → ${accepted.body.erp.statusLabel}`);
  const synced = await waitFor('cco', ref, ['Synced', 'FailedToExport']);
  say(
    'Everyone',
    synced.erp.status === 'Synced'
      ? told(
          `the review message now reads Synced, ERP id ${synced.erp.erpId}; Pat gets a DM that it is in the ERP`,
          `it is Synced, ERP id ${synced.erp.erpId}`,
        )
      : `Failed to Export: ${synced.erp.exportError}`,
  );

  console.log(`\n2. Its change history (GET /api/v1/items/cco/${ref}):`);
  for (const entry of synced.history)
    console.log(
      `  ${entry.at}  ${entry.action.padEnd(9)} ${entry.by?.name ?? 'the ERP'}${entry.reason ? ` — “${entry.reason}”` : ''}${entry.message ? ` (${entry.message})` : ''}`,
    );

  const failing = await act('cco', 'CO-003', 'send', 'u-pat');
  console.log(`\n3. CO-003 does not meet the Sage 300 CRE rules → ${failing.status}: ${failing.body.message}`);
  console.log(`\nFind the round in the Temporal UI: workflow id ${approvalWorkflowId('cco', ref)}, or search ErpItemRef="${ref}".`);
});
