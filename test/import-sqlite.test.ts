/** Moving an install of an earlier release (one SQLite file) to PostgreSQL with `npm run ops -- import-sqlite`. */
import fs from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { applyMigrations } from '../store/migrations';
import { Prisma } from '../generated/prisma';
import { loadRows, TABLES } from '../store/transfer';
import { createDb } from '../store/prisma';
import { dropDatabase, emptyDatabaseUrl } from './support/databases';
import { runEntry } from './support/processes';

/** A database file as the SQLite releases wrote it: dates as ISO text, booleans as 0/1, JSON as text. */
async function sqliteRelease(file: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(fs.readFileSync(path.join(__dirname, 'fixtures', 'sqlite-release-schema.sql'), 'utf8'));
  const at = '2026-11-20T14:03:07.123+00:00';
  db.run(
    `INSERT INTO "User" VALUES ('pm', 'Pat Morgan', 'pat@example.com', NULL, 0, ?), ('acct', 'Dana Lee', 'dana@example.com', 'UDANA', 1, ?)`,
    [at, at],
  );
  db.run(
    `INSERT INTO "ToolPermission" ("id", "userId", "scope", "tool", "level") VALUES (1, 'pm', 'project:P-1', 'Admin', 'Admin'), (2, 'acct', 'company', 'ErpIntegrations', 'Standard')`,
  );
  db.run(`INSERT INTO "CostCode" VALUES ('01-100', 'General conditions', '["labor","material"]', ?)`, [at]);
  db.run(
    `INSERT INTO "ErpRecord" ("id", "itemType", "itemRef", "projectRef", "status", "erpId", "round", "updatedAt") VALUES (1, 'project', 'P-1', 'P-1', 'Synced', 'JOB-1', 1, ?), (2, 'commitment', 'SC-1', 'P-1', 'ReadyToExport', NULL, 1, ?)`,
    [at, at],
  );
  db.run(
    `INSERT INTO "Project" ("ref", "name", "number", "createdById", "erpRecordId", "createdAt", "updatedAt") VALUES ('P-1', 'Riverside Clinic', 'RC-24', 'pm', 1, ?, ?)`,
    [at, at],
  );
  db.run(
    `INSERT INTO "Commitment" ("ref", "projectRef", "kind", "number", "title", "status", "createdById", "erpRecordId", "createdAt", "updatedAt") VALUES ('SC-1', 'P-1', 'subcontract', 'SC-001', 'Concrete', 'Approved', 'pm', 2, ?, ?)`,
    [at, at],
  );
  db.run(
    `INSERT INTO "SovLine" ("id", "commitmentRef", "lineNo", "description", "costCode", "category", "amountCents") VALUES (7, 'SC-1', 1, 'Footings', '01-100', 'labor', 9007199254740)`,
  );
  db.run(
    `INSERT INTO "HistoryEntry" ("id", "erpRecordId", "at", "actorId", "action", "fromStatus", "toStatus", "selfApproved", "eventKey") VALUES (1, 2, '2026-11-21 09:15:00', 'pm', 'sent', 'NotSent', 'ReadyToExport', 0, 'send:commitment:SC-1#1')`,
  );
  db.run(
    `INSERT INTO "ReviewedSnapshot" ("id", "erpRecordId", "round", "hash", "payload", "review", "sentById", "at") VALUES (1, 2, 1, 'abc', '{"a":1}', '{"title":"Concrete","lines":[{"lineNo":1}]}', 'pm', ?)`,
    [at],
  );
  fs.writeFileSync(file, db.export());
  db.close();
}

test('an earlier release’s SQLite file moves over whole, with its types, into an empty database only', async () => {
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR as string, 'sqlite-'));
  const file = path.join(dir, 'erp-approvals.db');
  await sqliteRelease(file);
  const url = await emptyDatabaseUrl();
  const db = createDb(url);
  try {
    // The command migrates an empty target itself.
    const first = runEntry('ops', { DATABASE_URL: url }, { args: ['import-sqlite', file] });
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain(
      "in one transaction, every table's count matching: User 2, ToolPermission 2, CostCode 1, ErpRecord 2, Project 1, Commitment 1, SovLine 1, HistoryEntry 1, ReviewedSnapshot 1.",
    );

    expect(await db.user.findUniqueOrThrow({ where: { id: 'acct' } })).toMatchObject({
      canPushToAccounting: true,
      slackId: 'UDANA',
      updatedAt: new Date('2026-11-20T14:03:07.123Z'),
    });
    expect(await db.costCode.findUniqueOrThrow({ where: { code: '01-100' } })).toMatchObject({ categories: ['labor', 'material'] });
    expect(await db.sovLine.findUniqueOrThrow({ where: { id: 7 } })).toMatchObject({ amountCents: 9007199254740n });
    expect(await db.historyEntry.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      at: new Date('2026-11-21T09:15:00Z'),
      // Earlier releases wrote the move in words; it is kept by its code.
      action: 'send',
      selfApproved: false,
    });
    expect(await db.reviewedSnapshot.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      payload: '{"a":1}',
      review: { title: 'Concrete', lines: [{ lineNo: 1 }] },
    });
    // Ids go on after the imported ones.
    expect((await db.erpRecord.create({ data: { itemType: 'cco', itemRef: 'CO-9', projectRef: 'P-1' } })).id).toBe(3);

    const again = runEntry('ops', { DATABASE_URL: url }, { args: ['import-sqlite', file] });
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('The target database is not empty (User: 2');
    expect(again.output()).not.toMatch(/^\s+at /m);
    expect(await db.user.count()).toBe(2);

    // Writes still in the write-ahead log would be left behind: refused until they are folded in.
    const pending = path.join(dir, 'pending.db');
    fs.copyFileSync(file, pending);
    fs.writeFileSync(`${pending}-wal`, Buffer.alloc(4096, 1));
    const withWal = runEntry('ops', { DATABASE_URL: url }, { args: ['import-sqlite', pending] });
    expect(await withWal.exited).toBe(1);
    expect(withWal.output()).toContain('still holds writes not yet in');

    const notSqlite = path.join(dir, 'notes.txt');
    fs.writeFileSync(notSqlite, 'not a database');
    const wrong = runEntry('ops', { DATABASE_URL: url }, { args: ['import-sqlite', notSqlite] });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toContain('is not a SQLite database');
  } finally {
    await db.$disconnect();
    await dropDatabase(url);
  }
});

test('a load whose counts do not match what the source holds leaves nothing behind', async () => {
  const url = await emptyDatabaseUrl();
  await applyMigrations(url);
  const db = createDb(url);
  try {
    const source = {
      counts: { User: 2 },
      async *rows(table: string) {
        if (table === 'User')
          yield { id: 'pm', name: 'Pat', email: 'pat@example.com', canPushToAccounting: false, updatedAt: '2026-11-20T14:03:07.123Z' };
      },
    };
    await expect(loadRows(url, source)).rejects.toThrow(
      'Row counts differ after the load, so nothing was kept: User 2 in the source, 1 loaded.',
    );
    expect(await db.user.count()).toBe(0);
  } finally {
    await db.$disconnect();
    await dropDatabase(url);
  }
});

test('backups and loads cover every table of the schema but the Slack replay memory', () => {
  const models = Prisma.dmmf.datamodel.models.map((model) => model.name);
  expect([...TABLES].sort()).toEqual(models.filter((name) => name !== 'SlackRequest').sort());
});

test('an operator command against a database that does not answer says so in a sentence', async () => {
  const file = path.join(process.env.TEST_TMP_DIR as string, 'unreachable.jsonl');
  const backup = runEntry('ops', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/erp' }, { args: ['backup', file] });
  expect(await backup.exited).toBe(1);
  expect(backup.output()).toContain('The database cannot be reached (connect ECONNREFUSED 127.0.0.1:1). Check DATABASE_URL');
  expect(backup.output()).not.toMatch(/^\s+at /m);
  expect(fs.existsSync(file) || fs.existsSync(`${file}.partial`)).toBe(false);
});
