/**
 * Reminders and escalation over days of working time, on Temporal's time-skipping test server: a step
 * sent on a Friday afternoon waits through a weekend and a holiday, reminds its approver on the next
 * working day, escalates, and the person it escalated to decides it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { putCalendar } from '../store/calendar';
import { putPolicy } from '../store/policies';
import { CalendarBody, PolicyBody } from '../domain/intake';
import { approvalWorkflowId } from '../domain/item-types';
import { APPROVER, APPROVER_2, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually } from './support/harness';
import { SLACK, startBotWorld, type BotWorld } from './support/bot-world';

let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({ timeSkipping: true });
  await companyWithSyncedCommitment(world.h);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The first Friday 16:00 UTC after `now`. */
function nextFriday16(now: number): number {
  const midnight = Math.floor(now / DAY) * DAY;
  for (let day = 0; ; day += 1) {
    const at = midnight + day * DAY + 16 * HOUR;
    if (new Date(at).getUTCDay() === 5 && at > now) return at;
  }
}

const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Direct messages the stand-in Slack received for `user` whose text contains `words`. */
function dmsTo(user: string, words: string) {
  return world.slack.calls.filter(
    (call) => call.method === 'chat.postMessage' && call.args.channel === user && String(call.args.text).includes(words),
  );
}

async function currentDetails(ref: string): Promise<string> {
  const handle = world.h.client.workflow.getHandle(approvalWorkflowId('cco', ref));
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

test('a step waits through a weekend and a holiday, reminds on the next working day, escalates, and the added approver decides', async () => {
  const { h } = world;
  const env = h.temporal;
  expect(env.supportsTimeSkipping).toBe(true);

  // Move the test server's clock to a Friday 16:00 UTC; the Monday after is a holiday.
  const friday = nextFriday16(await env.currentTimeMs());
  await env.sleep(friday - (await env.currentTimeMs()));
  const monday = friday + 3 * DAY;
  await putCalendar(
    h.db,
    CalendarBody.parse({
      timeZone: 'utc',
      workdays: [1, 2, 3, 4, 5],
      hours: { start: '09:00', end: '17:00' },
      holidays: [isoDate(monday)],
    }),
  );
  await putPolicy(
    h.db,
    'accounting',
    PolicyBody.parse({
      name: 'Change orders',
      appliesTo: { types: ['cco'] },
      steps: [{ name: 'Accounting', approvers: [APPROVER], remindAfter: 'PT2H', escalateAfter: 'P1D', escalateTo: [APPROVER_2] }],
    }),
  );
  await h.intake.upsertChangeOrder('CO-T1', changeOrderBody({ number: 'T1' }));
  await h.desk.send('cco', 'CO-T1', PM);

  // Friday 16:00 + 2 working hours: one on Friday, none over the weekend or the holiday, one on Tuesday.
  await eventually(async () => (await currentDetails('CO-T1')).includes('next reminder Tue 10:00'), 'the next reminder in the details');
  // One working day (8 hours): Friday's last hour and seven on Tuesday.
  expect(await currentDetails('CO-T1')).toContain('escalates to Sam Ortiz Tue 16:00');

  // Dana's queue holds it; Sam's does not, yet.
  const waitingFor = async () => (await h.db.erpRecord.findFirstOrThrow({ where: { itemRef: 'CO-T1' } })).waitingFor;
  expect(await waitingFor()).toEqual([APPROVER]);

  // The one it escalates to cannot decide before it escalates.
  await expect(h.desk.accept('cco', 'CO-T1', { by: APPROVER_2 })).rejects.toMatchObject({
    code: 'not_your_turn',
    message: expect.stringContaining('Sam Ortiz is added to this step only once it has waited P1D of working time'),
  });

  // Over the weekend and the holiday, up to a minute before Tuesday 10:00: no reminder yet.
  const tuesday10 = friday + 4 * DAY - 6 * HOUR;
  await env.sleep(tuesday10 - HOUR / 60 - (await env.currentTimeMs()));
  expect(await h.db.notification.count({ where: { kind: 'reminder' } })).toBe(0);
  expect(dmsTo(SLACK.approver, 'Reminder')).toHaveLength(0);

  // Tuesday 10:00: Dana is reminded, and the next reminder is two working hours on.
  await env.sleep(2 * (HOUR / 60));
  await eventually(async () => dmsTo(SLACK.approver, 'Reminder').length === 1, 'the reminder to Dana');
  expect(dmsTo(SLACK.approver, 'Reminder')[0]!.args.text).toContain('still waits for your approval (step 1 of 1 (Accounting))');
  await eventually(async () => (await currentDetails('CO-T1')).includes('next reminder Tue 12:00'), 'the next reminder after the first');
  expect(await h.db.notification.count({ where: { kind: 'reminder' } })).toBe(1);

  // Tuesday 16:00: the step escalates to Sam, in the history, the review request and a message to him.
  await env.sleep(friday + 4 * DAY - (await env.currentTimeMs()));
  const escalated = await eventually(
    async () => (await h.desk.view('cco', 'CO-T1')).history.find((entry) => entry.action === 'escalated'),
    'the escalation in the history',
  );
  expect(escalated.message).toBe('step 1 of 1 (Accounting) waited P1D of working time: Sam Ortiz may now decide it');
  await eventually(async () => dmsTo(SLACK.approver2, 'Your approval is needed').length === 1, 'the escalation message to Sam');
  const update = [...world.slack.calls]
    .reverse()
    .find((call) => call.method === 'chat.update' && JSON.stringify(call.args.blocks).includes('escalated to Sam Ortiz'));
  expect(update).toBeDefined();
  const view = await h.desk.view('cco', 'CO-T1');
  expect(view.steps[0]).toMatchObject({ status: 'waiting', escalated: true, escalateTo: [{ id: APPROVER_2, name: 'Sam Ortiz' }] });
  expect(await waitingFor()).toEqual([APPROVER, APPROVER_2]);
  // Reminders went on every two working hours until then (12:00, 14:00, 16:00).
  await eventually(async () => dmsTo(SLACK.approver, 'Reminder').length === 4, 'the reminders through Tuesday');

  // Sam decides in Dana's place; the item is exported once.
  await h.desk.accept('cco', 'CO-T1', { by: APPROVER_2 });
  await untilStatus(h, 'cco', 'CO-T1', 'Synced');
  const actions = (await h.desk.view('cco', 'CO-T1')).history.map((entry) => entry.action);
  expect(actions).toEqual(['sent', 'escalated', 'accepted', 'exported']);

  // The round is over: no reminder comes after it, however long the clock runs.
  await env.sleep(3 * DAY);
  expect(dmsTo(SLACK.approver, 'Reminder')).toHaveLength(4);

  // Its history (timers, an escalation, reminders) replays on this code; `RECORD_HISTORIES=1` keeps it
  // with the histories earlier versions must go on replaying.
  const handle = h.client.workflow.getHandle(approvalWorkflowId('cco', 'CO-T1'));
  await handle.result();
  const json = historyToJSON(await handle.fetchHistory());
  const replay = { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string } };
  await expect(Worker.runReplayHistory(replay, historyFromJSON(JSON.parse(json)), 'escalated')).resolves.toBeUndefined();
  if (process.env.RECORD_HISTORIES) fs.writeFileSync(path.join(__dirname, 'histories', 'reminded-escalated.json'), json);
}, 180_000);
