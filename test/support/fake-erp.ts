/**
 * A local stand-in for an ERP speaking the `http` connector protocol. It checks the HMAC signature,
 * books each idempotency key once (409 with the erpId for a repeat), answers look-ups
 * (GET /exports/{key}), answers scripted faults, and can book an export and lose the answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ErpCall {
  at: number;
  method: string;
  key: string;
  status: number;
  /** The body exactly as it arrived. */
  raw: string;
  payload: Record<string, unknown>;
}

export async function startFakeErp(secret: string) {
  const booked = new Map<string, string>();
  const calls: ErpCall[] = [];
  const script: ScriptedAnswer[] = [];
  const refusals = new Map<string, string>();
  let answersToLose = 0;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const lookup = req.method === 'GET' && req.url?.startsWith('/exports/');
      const key = lookup ? decodeURIComponent(req.url!.slice('/exports/'.length)) : String(req.headers['idempotency-key'] ?? '');
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        calls.push({ at: Date.now(), method: req.method ?? '', key, status, raw, payload: safeParse(raw) });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      if (!lookup && (req.method !== 'POST' || req.url !== '/exports')) return answer(404, { message: 'not found' });
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(401, { message: 'bad signature' });
      if (lookup) {
        const erpId = booked.get(key);
        return erpId ? answer(200, { erpId }) : answer(404, { message: 'no export under that key' });
      }
      if (!key) return answer(400, { message: 'Idempotency-Key is required' });

      const scripted = script.shift();
      if (scripted) return answer(scripted.status, scripted.body ?? {}, scripted.headers);
      const payload = safeParse(raw);
      const refusal = refusals.get(String(payload.ref));
      if (refusal) return answer(422, { message: refusal });
      const existing = booked.get(key);
      const erpId = existing ?? `ERP-${booked.size + 1}`;
      booked.set(key, erpId);
      if (answersToLose > 0) {
        // Booked, but the answer never arrives: the caller sees a gateway timeout.
        answersToLose -= 1;
        return answer(504, { message: 'gateway timeout' });
      }
      return existing ? answer(409, { erpId }) : answer(201, { erpId });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    booked,
    calls,
    /** The next answers, in order, before normal service resumes. */
    queue: (...answers: ScriptedAnswer[]) => script.push(...answers),
    refuse: (ref: string, message: string) => refusals.set(ref, message),
    /** The next `count` exports are booked but answered 504, as if the answer were lost. */
    loseAnswers: (count: number) => (answersToLose = count),
    allow: (ref: string) => refusals.delete(ref),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function safeParse(raw: string): Record<string, unknown> {
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}
