/** Runs the project's own entry points (bin/*.ts) as child processes, as `npm start` / `npm run …` do. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** The compiled worker that `npm run worker` runs (`npm run build` writes it). */
const WORKER_ENTRY = path.join(ROOT, 'dist', 'bin', 'worker.js');

/** The node flags and environment `npm run worker` gives the worker (package.json, "config"). */
export const WORKER_NODE_ARGS: string[] = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config: { workerNodeOptions: string } }
).config.workerNodeOptions.split(' ');
export const WORKER_ENV = { MALLOC_ARENA_MAX: '2' };

/** The folders and files `npm run build` compiles (tsconfig.build.json). */
const BUILT = (JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;

function newestSource(dir: string): number {
  if (!fs.statSync(dir).isDirectory()) return fs.statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless the compiled worker is newer than every source file it is built from (migrations included). */
export function ensureBuilt(): void {
  const built = fs.existsSync(WORKER_ENTRY) ? fs.statSync(WORKER_ENTRY).mtimeMs : 0;
  const sources = Math.max(
    fs.statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
    ...[...BUILT, 'prisma'].map((dir) => newestSource(path.join(ROOT, dir))),
  );
  if (built > sources) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Asks the process to stop (SIGTERM) and waits until it has. */
  stop(): Promise<void>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

/** Children still running; killed if the test process exits without stopping them (a failed test). */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Runs an entry point as its npm script does: the worker compiled, with its memory settings (the test
 * run builds it first); the others as bin/<entry>.ts. `cwd` (default: the project) is where ./data goes.
 */
export function runEntry(
  entry: 'start' | 'worker' | 'bot' | 'api' | 'seed' | 'ops',
  env: NodeJS.ProcessEnv,
  options: { cwd?: string; args?: string[] } = {},
): Running {
  const program =
    entry === 'worker'
      ? [...WORKER_NODE_ARGS, WORKER_ENTRY]
      : ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'bin', `${entry}.ts`)];
  const child = spawn(process.execPath, [...program, ...(options.args ?? [])], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(entry === 'worker' ? WORKER_ENV : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  children.add(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async waitFor(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(typeof text === 'string' ? output.includes(text) : text.test(output))) {
        if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}) before printing ${text}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`${entry} did not print ${text} in time:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** A worker process (`npm run worker`) for a harness started with `noWorker`; resolves once it polls. */
export async function runWorkerFor(h: { address: string; taskQueue: string; databaseUrl: string }): Promise<Running> {
  const worker = runEntry('worker', {
    TEMPORAL_ADDRESS: h.address,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    DATABASE_URL: h.databaseUrl,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
  });
  await worker.waitFor('Worker polling');
  return worker;
}

const API_TOKEN = 'test-token-0123456789abcdef';

/** An API process (`npm run api`) for a harness; `put` sends an authorized intake write to it. */
export async function runApiFor(h: { address: string; taskQueue: string; databaseUrl: string }) {
  const port = await freePort();
  const api = runEntry('api', {
    TEMPORAL_ADDRESS: h.address,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    DATABASE_URL: h.databaseUrl,
    API_TOKEN,
    PORT: String(port),
  });
  await api.waitFor('API listening');
  const put = (route: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/api/v1${route}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify(body),
    });
  return { ...api, put, url: `http://127.0.0.1:${port}`, token: API_TOKEN };
}
