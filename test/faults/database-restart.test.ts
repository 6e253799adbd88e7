/**
 * PostgreSQL goes down in the middle of 100 rounds (an immediate shutdown: connections cut mid-
 * transaction, as in a crash or a fail-over) and comes back: every decision and every export waits and
 * lands, none is lost and none is done twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../../store/database';
import { EmbeddedPostgres } from '../../runtime/embedded-postgres';
import { applyMigrations } from '../../store/migrations';
import { domainErrorFrom } from '../../workflows/failures';
import { isDatabaseUnavailable } from '../../store/prisma';
import { APPROVER } from '../support/fixtures';
import { companyWithSyncedCommitment, expectEachSyncedOnce, sentChangeOrders } from '../support/flows';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/processes';

let postgres: EmbeddedPostgres;
let h: Harness;
/** Decisions answered "database unavailable" (the API's 503), to show the outage met them. */
let unavailableAnswers = 0;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR as string, 'pg-restart-'));
  fs.chmodSync(dir, 0o755);
  postgres = new EmbeddedPostgres({ dir: path.join(dir, 'postgres'), port: await freePort() });
  await postgres.start();
  const databaseUrl = postgres.url('erp');
  await createDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  // Room for the export retries to outlast the outage, as the production policy (hours) does.
  h = await startHarness({
    databaseUrl,
    exportPolicy: { initialIntervalMs: 300, maximumIntervalMs: 2_000, maximumAttempts: 40, startToCloseMs: 5_000 },
  });
  await companyWithSyncedCommitment(h);
});

afterAll(async () => {
  await h?.stop();
  await postgres?.stop();
});

/**
 * An approver's accept as an API client makes it: a 503 (database unavailable) is tried again; a
 * second try may find its own first try landed (the round is past review), which is the answer too.
 */
async function acceptUntilLanded(ref: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await h.desk.accept('cco', ref, { by: APPROVER });
      return;
    } catch (err) {
      if (attempt > 1 && domainErrorFrom(err)?.code === 'not_awaiting_decision') return;
      if (!isDatabaseUnavailable(err) || attempt > 200) throw err;
      unavailableAnswers++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

test('a database restart in the middle of 100 rounds: every decision and export lands once', async () => {
  const refs = await sentChangeOrders(h, 'PG', 100);
  let decided = 0;
  // The decisions after the first 30 wait for the crash, so the outage is sure to meet some of them.
  let markDown!: () => void;
  const down = new Promise<void>((resolve) => (markDown = resolve));
  const decisions = (async () => {
    for (let i = 0; i < refs.length; i += 5) {
      if (decided >= 30) await down;
      await Promise.all(refs.slice(i, i + 5).map((ref) => acceptUntilLanded(ref)));
      decided += 5;
    }
  })();

  // Down while decisions are coming in and exports are running, up again two seconds later.
  while (decided < 30) await new Promise((resolve) => setTimeout(resolve, 20));
  await postgres.crash();
  markDown();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await postgres.start();

  await decisions;
  expect(unavailableAnswers).toBeGreaterThan(0);
  await expectEachSyncedOnce(h, refs, 120_000);
  const failed = await h.db.erpRecord.count({ where: { itemRef: { in: refs }, status: 'FailedToExport' } });
  expect(failed).toBe(0);
  // One idempotency key per item, booked once.
  expect(await h.db.exportAttempt.count({ where: { erpRecord: { itemRef: { in: refs } }, outcome: 'Booked' } })).toBe(100);
});
