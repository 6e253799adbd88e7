/**
 * The `http` connector: POST <ERP_HTTP_URL>/exports with the payload as JSON, an `Idempotency-Key`
 * and `X-Signature: sha256=<HMAC-SHA256 of the body>`.
 *   2xx { erpId }        → synced
 *   409 { erpId }        → already exported under that key: synced
 *   400/422 { message }  → permanent refusal
 *   429, 5xx, network    → try again, after Retry-After when given
 * and GET <ERP_HTTP_URL>/exports/{idempotencyKey}, signed over the empty body, to learn whether an
 * export whose answer was lost was booked: 200 { erpId } booked, 404 not booked.
 */
import { createHmac } from 'node:crypto';
import { isStorableText, storableText } from '../domain/text';
import { z } from 'zod';
import { ErpRefused, ErpUnavailable, type ErpTransport, type ExportReceipt, type ExportRequest } from './transport';

// An id we could not store as the ERP sent it (a NUL, half a surrogate pair) is no id: the export is
// asked again under the same key. Its length is the ERP's business: a booked record is never refused
// for a long id.
const ReceiptBody = z.object({ erpId: z.string().min(1).refine(isStorableText) });
// Words are kept as well as they can be: characters the database cannot hold become U+FFFD.
const RefusalBody = z.object({
  message: z
    .string()
    .min(1)
    .transform((message) => storableText(message.slice(0, 2000))),
});

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

  private url(path: string): URL {
    return new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
  }

  async lookup(idempotencyKey: string): Promise<{ erpId: string } | null> {
    let response: Response;
    try {
      response = await fetch(this.url(`exports/${encodeURIComponent(idempotencyKey)}`), {
        method: 'GET',
        headers: { 'x-signature': signBody('', this.secret) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ErpUnavailable(
        `The ERP could not be asked about export ${idempotencyKey}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const text = await response.text();
    if (response.status === 404) return null;
    if (response.ok) {
      const receipt = ReceiptBody.safeParse(safeJson(text));
      if (receipt.success) return { erpId: receipt.data.erpId };
    }
    // Anything else leaves the question open: the look-up is asked again, never taken as "not booked".
    throw new ErpUnavailable(
      `The ERP did not say whether export ${idempotencyKey} was booked (it answered ${response.status}).`,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }

  async export(request: ExportRequest): Promise<ExportReceipt> {
    const { body } = request;
    let response: Response;
    try {
      response = await fetch(this.url('exports'), {
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
    throw new ErpRefused(`The ERP answered ${response.status}: ${storableText(text.slice(0, 200))}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
