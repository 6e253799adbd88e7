/**
 * The benchmark's Slack: a process of its own that posts signed requests to the bot and times each
 * answer. Kept out of the benchmark's main process, which also serves the Slack Web API stand-in,
 * so the timings are the bot's and not that process's pauses.
 *
 * Receives { url, requests, concurrency } over IPC and answers { times } (ms) or { error }.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { SIGNING_SECRET, slackSignature, type SignedRequest } from '../test/support/slack-requests';
import { pool } from './pool';

export interface AckRun {
  url: string;
  requests: SignedRequest[];
  concurrency: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, request: SignedRequest): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': request.contentType,
    'content-length': Buffer.byteLength(request.body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, request.body),
  };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

async function run({ url, requests, concurrency }: AckRun): Promise<number[]> {
  const times: number[] = [];
  await pool(requests, concurrency, async (request) => {
    const started = performance.now();
    const status = await post(url, request);
    times.push(performance.now() - started);
    if (status !== 200) throw new Error(`the bot answered ${status}`);
  });
  return times;
}

process.on('message', (message: AckRun) => {
  run(message).then(
    (times) => process.send?.({ times }),
    (err: Error) => process.send?.({ error: err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
