/**
 * The `http` connector: POST <ERP_HTTP_URL>/exports with the payload as JSON, an `Idempotency-Key`
 * and `X-Signature: sha256=<HMAC-SHA256 of the body>`.
 *   2xx { erpId }        → synced
 *   409 { erpId }        → already exported under that key: synced
 *   400/422 { message }  → permanent refusal
 *   429, 5xx, network    → try again, after Retry-After when given
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ErpRefused, ErpUnavailable, type ErpTransport, type ExportReceipt, type ExportRequest } from './transport';

const ReceiptBody = z.object({ erpId: z.string().min(1) });
const RefusalBody = z.object({ message: z.string().min(1) });

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class HttpErp implements ErpTransport {
  readonly name = 'http';

  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async export(request: ExportRequest): Promise<ExportReceipt> {
    const body = JSON.stringify(request.payload);
    let response: Response;
    try {
      response = await fetch(new URL('exports', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
          'x-signature': signBody(body, this.secret),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ErpUnavailable(`The ERP could not be reached: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await response.text();
    const json = safeJson(text);

    if (response.ok || response.status === 409) {
      const receipt = ReceiptBody.safeParse(json);
      if (!receipt.success) throw new ErpUnavailable(`The ERP answered ${response.status} without an erpId.`);
      return { erpId: receipt.data.erpId, duplicate: response.status === 409 };
    }
    if (response.status === 400 || response.status === 422) {
      const refusal = RefusalBody.safeParse(json);
      throw new ErpRefused(refusal.success ? refusal.data.message : `The ERP refused the record (${response.status}).`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ErpUnavailable(`The ERP answered ${response.status}.`, retryAfterMs(response.headers.get('retry-after')));
    }
    throw new ErpRefused(`The ERP answered ${response.status}: ${text.slice(0, 200)}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
