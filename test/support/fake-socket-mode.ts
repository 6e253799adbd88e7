/**
 * A local stand-in for Slack's Socket Mode WebSocket: says hello on each connection, sends events,
 * interactions and slash commands as envelopes, records each acknowledgement by `envelope_id`, and
 * sends again whatever was not acknowledged when a connection comes back, as Slack does.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SignedRequest } from './slack-requests';

interface Envelope {
  envelope_id: string;
  type: 'events_api' | 'interactive' | 'slash_commands';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** The envelope Slack sends over the socket for what it would post to the HTTP endpoint. */
function envelopeOf(request: SignedRequest, id: string): Envelope {
  const base = { envelope_id: id, retry_attempt: 0, retry_reason: '' };
  if (request.contentType.includes('json')) {
    return { ...base, type: 'events_api', payload: JSON.parse(request.body), accepts_response_payload: false };
  }
  const form = new URLSearchParams(request.body);
  const interactive = form.get('payload');
  if (interactive !== null) return { ...base, type: 'interactive', payload: JSON.parse(interactive), accepts_response_payload: true };
  return { ...base, type: 'slash_commands', payload: Object.fromEntries(form), accepts_response_payload: true };
}

export async function startFakeSocketMode() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/?ticket=test`;
  const unacked = new Map<string, { envelope: Envelope; acked: (ack: Ack) => void }>();
  const acks: Ack[] = [];
  let socket: WebSocket | null = null;
  let connections = 0;
  let next = 0;

  server.on('connection', (ws) => {
    connections += 1;
    socket = ws;
    ws.send(
      JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket-mode' }, connection_info: { app_id: 'A1' } }),
    );
    ws.on('message', (data) => {
      const message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')) as Ack;
      const waiting = message.envelope_id ? unacked.get(message.envelope_id) : undefined;
      if (!waiting) return;
      unacked.delete(message.envelope_id);
      acks.push(message);
      waiting.acked(message);
    });
    // What the last connection did not acknowledge comes again, marked as a retry.
    for (const { envelope } of unacked.values()) {
      envelope.retry_attempt += 1;
      envelope.retry_reason = 'timeout';
      ws.send(JSON.stringify(envelope));
    }
  });

  const open = () => socket !== null && socket.readyState === socket.OPEN;

  return {
    url,
    acks,
    connections: () => connections,
    connected: open,
    /** Sends a request as an envelope (now, or on the next connection if none is open); resolves with its acknowledgement. */
    send(request: SignedRequest): Promise<Ack> {
      next += 1;
      const envelope = envelopeOf(request, `env-${next}`);
      return new Promise<Ack>((resolve) => {
        unacked.set(envelope.envelope_id, { envelope, acked: resolve });
        if (open()) socket!.send(JSON.stringify(envelope));
      });
    },
    /** The connection breaks without a goodbye (a network drop): the client must notice and come back. */
    drop() {
      socket?.terminate();
      socket = null;
    },
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
