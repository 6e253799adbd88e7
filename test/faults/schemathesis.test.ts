/**
 * Schemathesis against the live API process: it reads the published OpenAPI document, generates
 * valid and invalid requests for every operation (examples, coverage, fuzzing and stateful phases) and
 * runs every check: no 5xx, no response that contradicts the document, valid data accepted, invalid
 * data refused. Known reasons a valid request may still be refused are in schemathesis.toml.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import { runApiFor } from '../support/processes';

let h: Harness;
let api: Awaited<ReturnType<typeof runApiFor>>;

beforeAll(async () => {
  h = await startHarness();
  api = await runApiFor(h);
});

afterAll(async () => {
  await api?.stop();
  await h?.stop();
});

/** Runs the CLI without blocking this process, whose worker serves the API's rounds meanwhile. */
function schemathesis(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('schemathesis', args, { cwd: path.join(__dirname, '..', '..') });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error('schemathesis is not installed: python3 -m pip install schemathesis (then `pyenv rehash` if you use pyenv)')
          : err,
      ),
    );
    child.once('close', (status) => resolve({ status, output }));
  });
}

test('the live API agrees with its OpenAPI document under every schemathesis check', async () => {
  const args = [
    'run',
    `${api.url}/api/v1/openapi.json`,
    '--url',
    api.url,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${api.token}`,
    '--max-examples',
    '30',
    '--seed',
    '20261124',
    '--no-color',
  ];
  const { status, output } = await schemathesis(args);
  expect({
    status,
    failures: output.includes('FAILURES') ? output.slice(output.indexOf('FAILURES')) : status === 0 ? '' : output.slice(-3000),
  }).toEqual({
    status: 0,
    failures: '',
  });
  expect(output).toMatch(/\d+ passed/);
});
