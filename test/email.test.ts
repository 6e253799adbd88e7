/**
 * Notices by email through a real local SMTP server: people without a Slack account get the review
 * requests, the rejection with its reason and link, the synced notice and the daily summary, each
 * once, in a plain-text and an HTML part; a mail server that cannot take them now is tried again.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { WebClient } from '@slack/web-api';
import { SlackDirectory } from '../bot/directory';
import { SlackNotifier } from '../bot/notifier';
import { EmailNotifier, smtpMailer } from '../email/notifier';
import { RecordingNotifier } from '../store/notifications';
import { UserBody } from '../domain/intake';
import { APPROVER, APPROVER_2, PM, changeOrderBody } from './support/fixtures';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { eventually, startHarness, TEST_RULES, type Harness } from './support/harness';
import { startFakeSlack, type FakeSlack } from './support/fake-slack';
import type { DailySummary } from '../activities/types';
import type { Db } from '../store/prisma';

interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
  autoSubmitted: string | undefined;
}

/** A local SMTP server: what it accepted, and how many deliveries to refuse for a while (421) or for good (550). */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuseNext: 0, attempts: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce@')) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.attempts += 1;
        if (state.refuseNext > 0) {
          state.refuseNext -= 1;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
        }
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          for (const rcpt of session.envelope.rcptTo)
            received.push({
              to: rcpt.address,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              autoSubmitted: mail.headers.get('auto-submitted') as string | undefined,
            });
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    to: (address: string) => received.filter((mail) => mail.to === address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let slack: FakeSlack;
let h: Harness;

const FROM = 'ERP approvals <erp@acme.example>';

function emailNotifier(db: Db, options: { always?: boolean; slack?: boolean } = {}) {
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const directory = new SlackDirectory(db, client);
  const record = new RecordingNotifier(db);
  return new EmailNotifier({
    db,
    inner:
      options.slack === false
        ? record
        : new SlackNotifier({
            db,
            client,
            directory,
            approversChannel: 'C-APPROVERS',
            companyName: 'Acme Builders',
            rules: TEST_RULES,
            record,
          }),
    record,
    mailer: smtpMailer(smtp.url, FROM),
    companyName: 'Acme Builders',
    rules: TEST_RULES,
    inSlack: options.slack === false ? null : async (user) => (await directory.slackIdOf(user)) !== undefined,
    always: options.always ?? false,
  });
}

beforeAll(async () => {
  smtp = await startSmtp();
  // Only Dana has a Slack account: Pat (the project manager) and Sam (an approver) work by email.
  slack = await startFakeSlack([{ id: 'UDANA', email: 'dana@example.com' }]);
  h = await startHarness({ notifier: (db) => emailNotifier(db) });
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  await h?.stop();
  await slack?.close();
  await smtp?.close();
});

test('an approver without Slack gets each review request by email; one with Slack does not', async () => {
  const requests = await eventually(async () => {
    const mails = smtp.to('sam@example.com').filter((mail) => mail.subject === 'Acme Builders: ERP Commitment Review Request');
    return mails.length >= 1 && mails;
  }, "Sam's review request");
  expect(requests[0]!.text).toContain('Commitment SC-001 was sent to accounting for acceptance and waits for your decision.');
  expect(requests[0]!.text).toContain('Sent by Pat Morgan.');
  expect(smtp.to('sam@example.com').some((mail) => mail.subject === 'Acme Builders: ERP Project Review Request')).toBe(true);
  expect(smtp.to('dana@example.com')).toEqual([]);
  // The creator without Slack hears the project and the commitment reached the ERP.
  const synced = await eventually(async () => {
    const mails = smtp.to('pat@example.com').filter((mail) => mail.subject.endsWith('Synced Notification'));
    return mails.length >= 2 && mails;
  }, "Pat's synced notices");
  expect(synced.map((mail) => mail.subject).sort()).toEqual([
    'Acme Builders: ERP Commitment Synced Notification',
    'Acme Builders: ERP Project Synced Notification',
  ]);
  expect(synced[0]!.autoSubmitted).toBe('auto-generated');
});

test('a rejection reaches the creator by email once, through an SMTP outage: the reason, the seeds subject, a link, both parts', async () => {
  await h.intake.upsertChangeOrder('CO-E1', changeOrderBody({ number: 'E1', url: 'https://procore.example/co/E1?a=1&b=2' }));
  await h.desk.send('cco', 'CO-E1', PM);
  const before = smtp.to('pat@example.com').length;
  const attempts = smtp.state.attempts;
  smtp.state.refuseNext = 2;
  await h.desk.reject('cco', 'CO-E1', { by: APPROVER, reason: 'Split <b>labor</b> & materials' });
  await untilStatus(h, 'cco', 'CO-E1', 'Rejected');
  const rejection = await eventually(
    async () => smtp.to('pat@example.com').find((mail) => mail.subject === 'Acme Builders: ERP Commitment Rejection Notification'),
    "Pat's rejection email",
    30_000,
  );
  // Refused twice (421), then taken: tried again like a Slack outage.
  expect(smtp.state.attempts - attempts).toBeGreaterThanOrEqual(3);
  expect(rejection.text).toContain('Commitment change order CO-E1 was rejected by Dana Lee on ');
  expect(rejection.text).toContain('Rejection comments: Split <b>labor</b> & materials');
  expect(rejection.text).toContain('View Online: https://procore.example/co/E1?a=1&b=2');
  expect(rejection.html).toContain('Rejection comments: Split &lt;b&gt;labor&lt;/b&gt; &amp; materials');
  expect(rejection.html).toContain('<a href="https://procore.example/co/E1?a=1&amp;b=2">View Online</a>');
  expect(rejection.html).not.toContain('<b>labor');

  // Sent once, however often the delivery was retried.
  await h.desk.resend('cco', 'CO-E1', PM);
  await untilStatus(h, 'cco', 'CO-E1', 'ReadyToExport');
  const rejections = smtp.to('pat@example.com').filter((mail) => mail.subject.endsWith('Rejection Notification'));
  expect(rejections).toHaveLength(1);
  expect(smtp.to('pat@example.com').length).toBeGreaterThan(before);
  // The re-send asks Sam again, with the previous rejection beside it.
  const resent = await eventually(
    async () => smtp.to('sam@example.com').find((mail) => mail.text.includes('CO-E1') && mail.text.includes('It is a re-send')),
    'the re-sent review request',
  );
  expect(resent.text).toContain('The previous round was rejected: Split <b>labor</b> & materials');
});

test('the daily summary goes by email to an approver without Slack; with NOTIFY_EMAIL=always to everyone; a refused address is not tried again', async () => {
  const summary = (approver: { id: string; name: string }, key: string): DailySummary => ({
    approver,
    date: '2026-11-24',
    readyToExport: {
      total: 1,
      items: [{ type: 'cco', ref: 'CO-E1', projectRef: 'P-100', title: 'Extra <rebar>', detail: null, amount: '$1,200.00' }],
    },
    failedToExport: { total: 0, items: [] },
    eventKey: key,
  });
  const missing = emailNotifier(h.db);
  await missing.dailySummary(summary({ id: APPROVER_2, name: 'Sam Ortiz' }, 'summary-test:sam'));
  await missing.dailySummary(summary({ id: APPROVER, name: 'Dana Lee' }, 'summary-test:dana'));
  await missing.dailySummary(summary({ id: APPROVER_2, name: 'Sam Ortiz' }, 'summary-test:sam'));
  const sam = smtp.to('sam@example.com').filter((mail) => mail.subject === 'Acme Builders: ERP Integrations Daily Summary for 2026-11-24');
  expect(sam).toHaveLength(1);
  expect(sam[0]!.text).toContain('1 Ready to Export, 0 Failed to Export waiting for accounting at Acme Builders.');
  expect(sam[0]!.text).toContain('Commitment change order CO-E1 · Extra <rebar> · $1,200.00 · project P-100');
  expect(sam[0]!.html).toContain('Extra &lt;rebar&gt;');
  expect(smtp.to('dana@example.com')).toEqual([]);

  const always = emailNotifier(h.db, { always: true });
  await always.dailySummary(summary({ id: APPROVER, name: 'Dana Lee' }, 'summary-test:dana-always'));
  expect(smtp.to('dana@example.com')).toHaveLength(1);
  // Dana still got her Slack summary too.
  expect(
    slack.callsTo('chat.postMessage').some((call) => call.args.channel === 'UDANA' && String(call.args.text).includes('Daily Summary')),
  ).toBe(true);

  await h.intake.upsertUser(
    'u-bounce',
    UserBody.parse({
      name: 'Gone Away',
      email: 'bounce@example.com',
      canPushToAccounting: true,
      permissions: [{ tool: 'ErpIntegrations', level: 'Admin' }],
    }),
  );
  const attempts = smtp.state.attempts;
  await emailNotifier(h.db, { slack: false }).dailySummary(summary({ id: 'u-bounce', name: 'Gone Away' }, 'summary-test:bounce'));
  const refused = await h.db.notification.findUniqueOrThrow({ where: { eventKey: 'summary-test:bounce:email:to:u-bounce' } });
  expect(refused.deliveredAt).not.toBeNull();
  expect(JSON.stringify(refused.payload)).toContain('No such mailbox');
  expect(smtp.state.attempts).toBe(attempts);
});

test("a failed export reaches the approvers without Slack by email, with the ERP's message; a name cannot add a line of its own", async () => {
  await h.intake.upsertUser(
    PM,
    UserBody.parse({
      name: 'Pat Morgan\r\nBcc: victim@evil.example',
      email: 'pat@example.com',
      permissions: [
        { tool: 'Admin', level: 'Admin', project: 'P-100' },
        { tool: 'Commitments', level: 'Admin', project: 'P-100' },
        { tool: 'ChangeOrders', level: 'Admin', project: 'P-100' },
      ],
    }),
  );
  await h.intake.upsertChangeOrder('CO-E2', changeOrderBody({ number: 'E2' }));
  await h.sandbox.injectFault({ itemRef: 'CO-E2', permanentMessage: 'Job RC-24 is closed for posting' });
  await h.desk.send('cco', 'CO-E2', PM);
  await h.desk.accept('cco', 'CO-E2', { by: APPROVER });
  await untilStatus(h, 'cco', 'CO-E2', 'FailedToExport');
  const failed = await eventually(
    async () => smtp.to('sam@example.com').find((mail) => mail.subject === 'Acme Builders: ERP Commitment Export Failure Notification'),
    "Sam's export failure email",
  );
  expect(failed.text).toContain('The ERP refused the export of Commitment change order CO-E2: Job RC-24 is closed for posting');
  expect(smtp.to('dana@example.com').some((mail) => mail.subject.endsWith('Export Failure Notification'))).toBe(false);
  // The creator's name, line break and all, stays on its line.
  expect(failed.text).toContain('Created by: Pat Morgan Bcc: victim@evil.example');
  expect(failed.text.split(/\r?\n/).some((line) => line.startsWith('Bcc:'))).toBe(false);
});
