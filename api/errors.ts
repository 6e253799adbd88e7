/** Every refusal the API gives, as `{ error, message, ...facts }` with its HTTP status. The one mapping. */
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError } from '../domain/errors';
import { isDatabaseUnavailable } from '../store/prisma';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  permission_denied: 403,
  separation_of_duties: 403,
  not_on_route: 403,
  unknown_item: 404,
  unknown_user: 422,
  unknown_reference: 422,
  invalid_item: 422,
  invalid_period: 422,
  not_an_approver: 422,
  not_awaiting_decision: 409,
  not_your_turn: 409,
  already_in_review: 409,
  already_taken: 409,
  round_not_running: 409,
  export_unresolved: 409,
  parent_not_synced: 409,
  requirements_not_met: 422,
  not_supported: 422,
  item_locked: 423,
};

export function zodProblem(err: ZodError, where: 'body' | 'query' | 'path') {
  const fields = err.issues.map((issue) => ({ field: issue.path.join('.') || where, message: issue.message }));
  return {
    error: 'invalid_request',
    message: `The request ${where} is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    fields,
  };
}

export class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; message: string } & Record<string, unknown>,
  ) {
    super(body.message);
  }
}

/** What body-parser and other Express middleware attach to the errors they raise. */
interface HttpError {
  type?: unknown;
  status?: unknown;
  message?: unknown;
}

export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const err = error as (HttpError & Error) | undefined;
  if (err instanceof RequestProblem) {
    res.status(err.status).json(err.body);
  } else if (err instanceof ZodError) {
    res.status(400).json(zodProblem(err, 'body'));
  } else if (err instanceof DomainError) {
    res.status(STATUS_BY_CODE[err.code] ?? 400).json({ error: err.code, message: err.message, ...err.details() });
  } else if (err?.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
  } else if (err?.type === 'entity.too.large') {
    res.status(413).json({ error: 'body_too_large', message: 'The request body is too large (limit 1 MB).' });
  } else if (isDatabaseUnavailable(err)) {
    console.error(`The database is unavailable: ${String(err?.message).trim().split('\n').at(-1)}`);
    res.status(503).set('retry-after', '5').json({
      error: 'database_unavailable',
      message:
        'The database cannot be reached right now (it is restarting, or every connection is taken); nothing was changed. Try again in a moment.',
    });
  } else if (err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    res.status(err.status).json({ error: 'bad_request', message: String(err.message ?? 'Bad request') });
  } else {
    console.error('Unhandled API error', err);
    res.status(500).json({
      error: 'internal',
      message: 'Something went wrong on our side; nothing was changed by this request. Try again, or ask the operator to check the logs.',
    });
  }
};
