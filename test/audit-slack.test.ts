/**
 * The auditor in Slack: reads the company's queues without a button, gets the audit export as a file
 * in a direct message, and decides nothing.
 */
import { companyWithSyncedCommitment } from './support/flows';
import { changeOrderBody, PM } from './support/fixtures';
import { eventually } from './support/harness';
import { SLACK, startBotWorld, type BotWorld } from './support/bot-world';
import { buttonClick, eventCallback, slashCommand } from './support/slack-requests';
import { ACTIONS } from '../bot/views/buttons';

let w: BotWorld;
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  w = await startBotWorld();
  await companyWithSyncedCommitment(w.h);
  await w.h.intake.upsertChangeOrder('CO-AU1', changeOrderBody({ number: 'AU1' }));
  await w.h.desk.send('cco', 'CO-AU1', PM);
});

afterAll(async () => {
  await w?.stop();
});

async function command(user: string, text: string) {
  const id = `audit-${Math.random().toString(36).slice(2)}`;
  const acked = await w.send(slashCommand({ user, text, responseUrl: w.slack.responseUrl(id) }));
  expect(acked.status).toBe(200);
  const said = (count: number) =>
    eventually(async () => {
      const texts = w.slack.responses.filter((r) => r.url.endsWith(id)).map((r) => String(r.body.text));
      return texts.length >= count && texts;
    }, `${count} answers to /erp ${text}`);
  return said;
}

test('/erp audit uploads the CSV export to the auditor alone, in a direct message', async () => {
  const uploadsBefore = w.slack.uploads.size;
  const said = await command(SLACK.engineer, `audit ${today()} ${today()}`);
  const [working, done] = await said(2);
  expect(working).toContain(`Writing the audit export from ${today()} to ${today()}`);
  expect(done).toMatch(/The audit export from .* \((\d+) entries\) is in your direct messages with me\./);

  expect(w.slack.callsTo('conversations.open').at(-1)!.args.users).toBe(SLACK.engineer);
  const completed = w.slack.callsTo('files.completeUploadExternal').at(-1)!;
  expect(completed.args.channel_id).toBe(`D${SLACK.engineer}`);
  expect(String(completed.args.initial_comment)).toContain('entries');
  expect(w.slack.uploads.size).toBe(uploadsBefore + 1);
  const file = [...w.slack.uploads.values()].at(-1)!.toString('utf8');
  expect(file).toContain('Entry,At (UTC),Local time (UTC),Item type,Item ref');
  expect(file).toContain(',cco,CO-AU1,P-100,1,sent,send,NotSent,ReadyToExport,u-pm,Pat Morgan,');
  const entries = Number(/\((\d+) entries\)/.exec(done!)![1]);
  expect(file.match(/\r\n/g)).toHaveLength(entries + 1);
  const fetched = w.slack.callsTo('files.getUploadURLExternal').at(-1)!;
  expect(fetched.args.filename).toBe(`erp-audit-${today()}-to-${today()}.csv`);
});

test('/erp audit is refused to someone without ERP Integrations access, and a bad period gets the usage', async () => {
  const uploads = w.slack.callsTo('files.getUploadURLExternal').length;
  const [refused] = await (await command(SLACK.pm, `audit ${today()} ${today()}`))(1);
  expect(refused).toBe(
    ":no_entry: Pat Morgan cannot read the audit export: missing 'ReadOnly', 'Standard' or 'Admin' on the company's ERP Integrations tool.",
  );
  const [usage] = await (await command(SLACK.engineer, `audit ${today()}`))(1);
  expect(usage).toContain('Write `/erp audit <from> <to>`');
  const [backwards] = await (await command(SLACK.engineer, `audit ${today()} 2020-01-01`))(1);
  expect(backwards).toBe(':no_entry: to: must be the same day as from or later.');
  expect(w.slack.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
});

test("an auditor's App Home lists everything waiting for accounting, read-only; a forged button decides nothing", async () => {
  await w.send(eventCallback({ type: 'app_home_opened', user: SLACK.engineer, channel: 'DHOME', tab: 'home', event_ts: '3.1' }));
  const home = await eventually(
    async () =>
      w.slack.callsTo('views.publish').find((c) => c.args.user_id === SLACK.engineer && JSON.stringify(c.args.view).includes('CO-AU1')),
    "the auditor's home",
  );
  const blocks = home.args.view.blocks as { type: string; accessory?: unknown; text?: { text: string } }[];
  expect(JSON.stringify(blocks)).toContain('Ready to Export, company-wide (1)');
  expect(JSON.stringify(blocks)).toContain('Read-only');
  expect(blocks.filter((b) => b.type === 'actions')).toEqual([]);
  expect(blocks.filter((b) => b.accessory)).toEqual([]);

  // A click the auditor could only forge: refused, naming what is missing, and nothing opened or decided.
  const opened = w.slack.callsTo('views.open').length;
  await w.send(buttonClick({ user: SLACK.engineer, actionId: ACTIONS.accept, value: 'cco:CO-AU1', channel: 'C-APPROVERS' }));
  const refusal = await eventually(
    async () => w.slack.callsTo('chat.postEphemeral').find((c) => c.args.user === SLACK.engineer && String(c.args.text).includes('CO-AU1')),
    'the refusal',
  );
  expect(refusal.args.text).toContain("'Can Push to Accounting'");
  expect(w.slack.callsTo('views.open')).toHaveLength(opened);
  expect((await w.h.desk.view('cco', 'CO-AU1')).erp.status).toBe('ReadyToExport');
});
