/**
 * Slack delivers the same interaction three times (x-slack-retry-num), and two approvers click at once
 * on 50 items: exactly one decision per item, and every loser is told who decided.
 */
import { MODALS } from '../../bot/views/modals';
import { PM, changeOrderBody } from '../support/fixtures';
import { companyWithSyncedCommitment } from '../support/flows';
import { eventually } from '../support/harness';
import { APPROVERS_CHANNEL, SLACK, startBotWorld, type BotWorld } from '../support/bot-world';
import { modalSubmit } from '../support/slack-requests';

const ITEMS = 50;
let w: BotWorld;

beforeAll(async () => {
  w = await startBotWorld();
  await companyWithSyncedCommitment(w.h);
});

afterAll(() => w?.stop());

test(`${ITEMS} items, two approvers at once, each delivery repeated by Slack: one decision per item`, async () => {
  const refs = Array.from({ length: ITEMS }, (_, i) => `CO-DUP${i + 1}`);
  for (const [i, ref] of refs.entries()) {
    await w.h.intake.upsertChangeOrder(ref, changeOrderBody({ number: `U${i + 1}` }));
    await w.h.desk.send('cco', ref, PM);
  }
  const before = w.slack.callsTo('chat.postEphemeral').length;

  await Promise.all(
    refs.flatMap((ref) => {
      const metadata = JSON.stringify({ type: 'cco', ref, channel: APPROVERS_CHANNEL });
      const dana = modalSubmit({ user: SLACK.approver, callbackId: MODALS.accept, privateMetadata: metadata, values: { description: '' } });
      const sam = modalSubmit({
        user: SLACK.approver2,
        callbackId: MODALS.reject,
        privateMetadata: metadata,
        values: { reason: 'Duplicate' },
      });
      // Each click arrives once, then twice more as Slack's retries.
      return [dana, sam].flatMap((request) => [w.send(request), w.send(request, { retryNum: 1 }), w.send(request, { retryNum: 2 })]);
    }),
  ).then((answers) => expect(answers.every((a) => a.status === 200)).toBe(true));

  const decided = await eventually(
    async () => {
      const records = await w.h.db.erpRecord.findMany({ where: { itemRef: { in: refs } }, include: { history: true } });
      return records.every((r) => ['Synced', 'Rejected'].includes(r.status)) && records;
    },
    'every item decided',
    120_000,
  );
  for (const record of decided) {
    const decisions = record.history.filter((e) => e.action === 'accept' || e.action === 'reject');
    expect(decisions).toHaveLength(1);
  }
  const accepted = decided.filter((r) => r.status === 'Synced').map((r) => r.itemRef);
  const exports = await w.h.db.sandboxExport.groupBy({ by: ['itemRef'], where: { itemRef: { in: refs } }, _count: { _all: true } });
  expect(exports.map((e) => e.itemRef).sort()).toEqual([...accepted].sort());
  expect(exports.every((e) => e._count._all === 1)).toBe(true);

  // One loser per item was told who decided; retries told nobody anything.
  const told = await eventually(async () => {
    const calls = w.slack.callsTo('chat.postEphemeral').slice(before);
    return calls.length >= ITEMS && calls;
  }, 'every loser to be told');
  expect(told).toHaveLength(ITEMS);
  for (const call of told)
    expect(call.args.text).toMatch(/(already being (accepted|rejected)|was (accepted|rejected)) by (Dana Lee|Sam Ortiz)/);
});
