/**
 * `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes the schema of the last commit to the schema in the working tree. Read it, then
 * commit both. (Prisma's `migrate dev` needs a shadow database and a native engine; this needs neither,
 * only a PostgreSQL to connect to: DATABASE_URL, else the one at 127.0.0.1:5432.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { committedMigrations, prismaMigrateCli, withUrl } from '../store/migrations';
import { runMain } from '../runtime/startup';
import { StartupProblem } from '../store/startup-problem';

runMain(async () => {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new StartupProblem('usage: npm run db:new-migration -- <name in lower_snake_case>');
  const root = path.join(__dirname, '..');
  const before = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'erp-schema-')), 'schema.prisma');
  fs.writeFileSync(before, withUrl(execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' })));
  const run = prismaMigrateCli(
    (schema) => ['migrate', 'diff', '--from-schema-datamodel', before, '--to-schema-datamodel', schema, '--script'],
    // The CLI opens a connection through the adapter even to compare two files; nothing is changed.
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  if (run.status !== 0) throw new StartupProblem(`prisma migrate diff failed:\n${run.stderr}`);
  if (!/\S/.test(run.stdout.replace(/^--.*$/gm, '')))
    throw new StartupProblem('The schema is the same as in the last commit: there is nothing to migrate.');
  // The driver adapter splits a script on semicolons, comments included: none may hold one.
  const sql = run.stdout.replace(/^(--.*);/gm, '$1,');
  const stamp = nextStamp(committedMigrations().at(-1));
  const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`Wrote ${path.relative(root, path.join(dir, 'migration.sql'))}:\n\n${sql}`);
});

function stampOf(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * Migrations apply in name order, so a new one is stamped now, or one second after the last committed
 * one where that is later (a stamp chosen by hand, or a clock behind).
 */
function nextStamp(last: string | undefined): string {
  const now = stampOf(new Date());
  const lastStamp = last?.slice(0, 14) ?? '';
  if (now > lastStamp) return now;
  const [year, month, day, hour, minute, second] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(lastStamp.slice(at, at + (i === 0 ? 4 : 2))));
  return stampOf(new Date(Date.UTC(year!, month! - 1, day, hour, minute, second! + 1)));
}
