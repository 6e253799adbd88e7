/**
 * The package as another team gets it: packed with `npm pack`, installed from the tarball into the
 * example host project (examples/host-worker), compiled there with strict types, and run: its own
 * workflow and one approval round to Synced on one Worker, with the set-up done by the package's
 * command and functions from the host's directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { emptyDatabaseUrl } from './support/databases';
import { startTestTemporal } from './support/harness';

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'host-worker');

/** The child's environment: ours without npm's own settings for this project's run (prefix, package). */
function hostEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = hostEnv({})): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? failed.message}`, {
      cause: err,
    });
  }
}

test('a host project installs the packed package, builds against its types, and runs its workflow and an approval round on one Worker', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-host-'));
  // The test run has built dist/ already (global set-up); packing must not rebuild it under the other suites.
  const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = path.join(scratch, packed!.filename);
  const shipped = packed!.files.map((file) => file.path);
  expect(shipped).toEqual(
    expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/bin/erp-approvals.js', 'dist/prisma/schema.prisma']),
  );
  expect(shipped.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md'].includes(file))).toEqual([]);

  const host = path.join(scratch, 'host-worker');
  fs.cpSync(EXAMPLE, host, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)$/.test(source) });
  const manifest = JSON.parse(fs.readFileSync(path.join(host, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  manifest.dependencies['erp-approvals'] = `file:${tarball}`;
  fs.writeFileSync(path.join(host, 'package.json'), JSON.stringify(manifest, null, 2));

  const temporal = await startTestTemporal(undefined, { bare: true });
  const databaseUrl = await emptyDatabaseUrl();
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], host);
    // One copy of each Temporal package, the host's: a second @temporalio/workflow in the bundle would break it.
    expect(fs.existsSync(path.join(host, 'node_modules', 'erp-approvals', 'node_modules', '@temporalio'))).toBe(false);
    run(process.execPath, [path.join(host, 'node_modules', 'typescript', 'bin', 'tsc')], host);

    const env = hostEnv({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'platform' });
    const migrated = run(path.join(host, 'node_modules', '.bin', 'erp-approvals'), ['migrate'], host, env);
    expect(migrated).toMatch(/: applied \d{14}_baseline, /);

    const output = run(process.execPath, [path.join(host, 'dist', 'smoke.js')], host, env);
    expect(output).toContain('migrations applied: 0');
    expect(output).toContain('search attributes added: ErpStatus, ErpItemType, ErpItemRef, ErpProject');
    expect(output).toContain('own workflow: stamped INV-7');
    expect(output).toMatch(/approval round: Synced as SBX-\d+/);

    // The ERP holds the project once, and the daily summary runs on the host's queue.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM "SandboxExport"');
      expect(rows[0]!.count).toBe('1');
    } finally {
      await db.end();
    }
    const schedule = await temporal.client.schedule.getHandle('erp-daily-summary').describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailySummary', taskQueue: 'platform' });
  } finally {
    await temporal.teardown();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}, 600_000);
