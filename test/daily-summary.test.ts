/** The daily summary runs from its Temporal Schedule (triggered here rather than waited for). */
import { ACTIONS } from '../bot/views/buttons';
import { ensureDailySummarySchedule } from '../services/daily-summary-schedule';
import { changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually } from './support/harness';
import { APPROVER, APPROVER_2, PM, SLACK, startBotWorld, type BotWorld } from './support/bot-world';
import { PolicyBody } from '../domain/intake';
import { deletePolicy, putPolicy } from '../store/policies';

let w: BotWorld;

beforeAll(async () => {
  w = await startBotWorld();
  await companyWithSyncedCommitment(w.h);
});

afterAll(() => w?.stop());

/** Triggers the schedule and returns the result of the run it started. */
async function triggerSummary() {
  const handle = await ensureDailySummarySchedule(w.h.client, { taskQueue: w.h.taskQueue, time: '07:30', timeZone: 'America/Chicago' });
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  const action = await eventually(async () => (await handle.describe()).info.recentActions[before], 'the schedule to start a run');
  return w.h.client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId).result();
}

const summaries = () => w.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('Daily Summary'));

test('with nothing waiting, nobody is sent a summary', async () => {
  const result = await triggerSummary();
  expect(result).toEqual({ approvers: 2, sent: 0, readyToExport: 0, failedToExport: 0 });
  expect(summaries()).toHaveLength(0);
});

test('each approver gets the counts and lists of Ready to Export and Failed to Export items, with buttons (a rejected one is not theirs)', async () => {
  for (const n of [1, 2, 3, 4]) await w.h.intake.upsertChangeOrder(`CO-D${n}`, changeOrderBody({ number: `D${n}` }));
  await w.h.sandbox.injectFault({ itemRef: 'CO-D3', permanentMessage: 'Vendor on hold' });
  for (const n of [1, 2, 3, 4]) await w.h.desk.send('cco', `CO-D${n}`, PM);
  await w.h.desk.accept('cco', 'CO-D3', { by: APPROVER });
  await untilStatus(w.h, 'cco', 'CO-D3', 'FailedToExport');
  // Back with its creator: in the creator's queue, not in the approvers' summary.
  await w.h.desk.reject('cco', 'CO-D4', { by: APPROVER, reason: 'Wrong cost code on line 1.' });

  const result = await triggerSummary();
  expect(result).toEqual({ approvers: 2, sent: 2, readyToExport: 2, failedToExport: 1 });

  const sent = await eventually(async () => summaries().length === 2 && summaries(), 'two summaries');
  expect(sent.map((c) => c.args.channel).sort()).toEqual([SLACK.approver, SLACK.approver2].sort());
  const message = sent[0]!.args;
  expect(message.text).toMatch(
    /^Acme Builders: ERP Integrations Daily Summary for \d{4}-\d\d-\d\d: 2 Ready to Export, 1 Failed to Export$/,
  );
  const blocks = JSON.stringify(message.blocks);
  expect(blocks).toContain('Ready to Export (2)');
  expect(blocks).toContain('Failed to Export (1)');
  expect(blocks).toContain('Vendor on hold');
  expect(blocks).not.toContain('CO-D4');
  expect(blocks).not.toContain('Wrong cost code');
  // Each item with the amount and the reviewed snapshot the approvers decide on.
  const reviewed = (await w.h.desk.view('cco', 'CO-D1')).erp.reviewed!;
  expect(blocks).toContain(`$4,250.25 · project P-100 · reviewed snapshot \``);
  expect(blocks).toContain(reviewed.hash.slice(0, 12));
  const buttons = (message.blocks as { type: string; elements?: { action_id: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements!.map((e) => e.action_id));
  expect(buttons).toEqual([
    `${ACTIONS.accept}:cco:CO-D1`,
    `${ACTIONS.reject}:cco:CO-D1`,
    `${ACTIONS.accept}:cco:CO-D2`,
    `${ACTIONS.reject}:cco:CO-D2`,
    `${ACTIONS.retryExport}:cco:CO-D3`,
    `${ACTIONS.reject}:cco:CO-D3`,
  ]);
  // The creator is not an approver and is not sent one.
  expect(summaries().filter((c) => c.args.channel === SLACK.pm)).toHaveLength(0);
  expect(await w.h.db.notification.count({ where: { kind: 'daily-summary' } })).toBe(2);
});

test('an item whose step names approvers is in their summaries only; every approver still sees what failed to export', async () => {
  await putPolicy(
    w.h.db,
    'sam-only',
    PolicyBody.parse({ name: 'Sam reviews D5', appliesTo: { types: ['cco'] }, steps: [{ name: 'Sam', approvers: [APPROVER_2] }] }),
  );
  await w.h.intake.upsertChangeOrder('CO-D5', changeOrderBody({ number: 'D5' }));
  await w.h.desk.send('cco', 'CO-D5', PM);
  await deletePolicy(w.h.db, 'sam-only');
  const before = summaries().length;

  // The run reports what waits for accounting in all.
  expect(await triggerSummary()).toEqual({ approvers: 2, sent: 2, readyToExport: 3, failedToExport: 1 });

  const sent = await eventually(async () => summaries().length === before + 2 && summaries().slice(before), 'two more summaries');
  const to = (channel: string) => JSON.stringify(sent.find((c) => c.args.channel === channel)!.args);
  expect(to(SLACK.approver)).toContain('2 Ready to Export, 1 Failed to Export');
  expect(to(SLACK.approver)).not.toContain('CO-D5');
  expect(to(SLACK.approver2)).toContain('3 Ready to Export, 1 Failed to Export');
  expect(to(SLACK.approver2)).toContain('CO-D5');
});

test('the schedule follows DAILY_SUMMARY_TIME and TZ when they change', async () => {
  await ensureDailySummarySchedule(w.h.client, { taskQueue: w.h.taskQueue, time: '07:30', timeZone: 'America/Chicago' });
  const handle = await ensureDailySummarySchedule(w.h.client, { taskQueue: w.h.taskQueue, time: '16:45', timeZone: 'Europe/Paris' });
  const { spec } = await handle.describe();
  expect(spec.timezone).toBe('Europe/Paris');
  expect(spec.calendars?.[0]).toMatchObject({ hour: [{ start: 16, end: 16, step: 1 }], minute: [{ start: 45, end: 45, step: 1 }] });
});
