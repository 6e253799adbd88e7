/**
 * A local stand-in for an ERP speaking the `http` connector protocol. It checks the HMAC signature,
 * books each idempotency key once (409 with the erpId for a repeat), and answers scripted faults.
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
  key: string;
  status: number;
  payload: Record<string, unknown>;
}

export async function startFakeErp(secret: string) {
  const booked = new Map<string, string>();
  const calls: ErpCall[] = [];
  const script: ScriptedAnswer[] = [];
  const refusals = new Map<string, string>();

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const key = String(req.headers['idempotency-key'] ?? '');
        calls.push({ at: Date.now(), key, status, payload: safeParse(raw) });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/exports') return answer(404, { message: 'not found' });
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(401, { message: 'bad signature' });
      const key = String(req.headers['idempotency-key'] ?? '');
      if (!key) return answer(400, { message: 'Idempotency-Key is required' });

      const scripted = script.shift();
      if (scripted) return answer(scripted.status, scripted.body ?? {}, scripted.headers);
      const payload = safeParse(raw);
      const refusal = refusals.get(String(payload.ref));
      if (refusal) return answer(422, { message: refusal });
      const existing = booked.get(key);
      if (existing) return answer(409, { erpId: existing });
      const erpId = `ERP-${booked.size + 1}`;
      booked.set(key, erpId);
      return answer(201, { erpId });
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
