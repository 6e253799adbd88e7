/**
 * A local stand-in for the Slack Web API: records every call and answers as Slack does, for the
 * methods the bot uses. Users are known by id and email; rate limits can be injected.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, any>;
}

export interface SlackUser {
  id: string;
  email: string;
}

export interface FakeSlackOptions {
  /** False keeps only which methods were called: a long benchmark would otherwise hold every message. */
  keepArgs?: boolean;
}

export async function startFakeSlack(users: SlackUser[] = [], { keepArgs = true }: FakeSlackOptions = {}) {
  const calls: SlackCall[] = [];
  const responses: { url: string; body: Record<string, any> }[] = [];
  const rateLimited = new Map<string, number>();
  const refusing = new Map<string, string>();
  /** Files posted to the upload URLs files.getUploadURLExternal handed out, by file id. */
  const uploads = new Map<string, Buffer>();
  let ts = 1_700_000_000;
  let base = '';
  /** The WebSocket URL apps.connections.open hands out (Socket Mode); none until set. */
  let socketModeUrl: string | null = null;

  const answer = (method: string, args: Record<string, any>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', team_id: 'T1', bot_id: 'BBOT' };
      case 'chat.postMessage':
        if (refusing.has(String(args.channel))) return { ok: false, error: refusing.get(String(args.channel)) };
        ts += 1;
        return {
          ok: true,
          channel: String(args.channel).startsWith('U') ? `D${args.channel}` : args.channel,
          ts: `${ts}.000100`,
          message: { text: args.text },
        };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${ts}.000200` };
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: `V${calls.length}`, ...args.view } };
      case 'apps.connections.open':
        return socketModeUrl ? { ok: true, url: socketModeUrl } : { ok: false, error: 'not_allowed_token_type' };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${args.users}` } };
      case 'files.getUploadURLExternal': {
        const fileId = `F${uploads.size + 1}`;
        uploads.set(fileId, Buffer.alloc(0));
        return { ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (args.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })) };
      case 'users.info': {
        const user = users.find((u) => u.id === args.user);
        return user ? { ok: true, user: { id: user.id, profile: { email: user.email } } } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        // Slack matches addresses whatever their case.
        const user = users.find((u) => u.email.toLowerCase() === String(args.email).toLowerCase());
        return user ? { ok: true, user: { id: user.id } } : { ok: false, error: 'users_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '';
      if (url.startsWith('/upload/')) {
        // The Web API posts the file as the one part of a multipart form; what Slack keeps is that part.
        const body = Buffer.concat(chunks);
        void new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } })
          .formData()
          .then(async (form) => {
            const part = [...form.values()].find((value) => typeof value !== 'string');
            uploads.set(url.slice('/upload/'.length), part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : body);
            res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
          })
          .catch(() => res.writeHead(400).end('bad upload'));
        return;
      }
      if (url.startsWith('/respond/')) {
        responses.push({ url, body: JSON.parse(raw || '{}') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
      const left = rateLimited.get(method) ?? 0;
      if (left > 0) {
        rateLimited.set(method, left - 1);
        res
          .writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const args = parseArgs(raw, req.headers['content-type'] ?? '');
      calls.push({ method, args: keepArgs ? args : {} });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, args)));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id: string) => `${base}/respond/${id}`,
    calls,
    responses,
    users,
    uploads,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** The next `times` calls of `method` get 429 with Retry-After: 1. */
    rateLimit: (method: string, times: number) => rateLimited.set(method, times),
    /** Socket Mode: where apps.connections.open sends the app. */
    useSocketMode: (url: string) => (socketModeUrl = url),
    /** Messages to `channel` are refused with Slack's `error` (e.g. not_in_channel: the bot was not invited). */
    refuseChannel: (channel: string, error: string) => refusing.set(channel, error),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

/** The Web API sends form fields, with objects (blocks, views) as JSON strings. */
function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}');
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      args[key] = value.startsWith('{') || value.startsWith('[') ? JSON.parse(value) : value;
    } catch {
      args[key] = value;
    }
  }
  return args;
}
