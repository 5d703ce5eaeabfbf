/**
 * Typed errors shared by every library. Each carries a stable `code` and a `kind`; the HTTP edge maps
 * the kind to a status (see apps/api problem filter) so that no library needs to know about HTTP.
 * Messages must never contain personal data: they end up in responses and logs.
 */
export type ErrorKind =
  | 'invalid' // bad input: 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // a rule or a concurrent writer refused it: 409
  | 'precondition_failed' // stale If-Match: 412
  | 'unprocessable' // 422
  | 'rate_limited' // 429
  | 'unavailable'; // storage or a dependency is down: 503

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export abstract class JejakError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  readonly errors?: readonly FieldError[];
  /** When the client may try again (Retry-After), for rate limits and lockouts. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options?: { cause?: unknown; errors?: readonly FieldError[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.errors) this.errors = options.errors;
  }
}

export function isJejakError(error: unknown): error is JejakError {
  return error instanceof JejakError;
}

/**
 * A domain rule refused a command; nothing was written. One class for every context: each declares its
 * codes (`class CaseRuleViolated extends RuleViolated<CaseErrorCode> {}`) and nothing else.
 */
export class RuleViolated<Code extends string = string> extends JejakError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The record a command or a query is about does not exist: 404. Only for the record itself; a part of a
 * record that is missing (an action of a case, a document of a placement) is a rule (409), as is a
 * reference to another record.
 */
export class NotFound<Code extends `${string}_NOT_FOUND` = `${string}_NOT_FOUND`> extends JejakError {
  readonly kind = 'not_found' as const;
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
