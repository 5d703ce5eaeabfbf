/**
 * The API as the web app calls it: same origin, the bearer token from the session, problem+json errors
 * turned into ApiError (status, stable code, field errors), and the headers that make a command safe to
 * retry (Idempotency-Key) and safe against a change by someone else (If-Match).
 */

import { cacheable, type QueuedStep, recall, remember, type SendResult } from './offline';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's stable code (VALIDATION_FAILED, SELF_APPROVAL, ...); NETWORK when no answer came. */
    readonly code: string,
    readonly errors: readonly FieldError[] = [],
    readonly retryAfter?: number,
    readonly detail?: string,
  ) {
    super(detail ?? code);
  }
}

export interface Answer<T> {
  readonly data: T;
  readonly etag: string | null;
  /** Read from the device (no network): what was last seen, with this device's waiting steps. */
  readonly cached?: boolean;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  /** The ETag of the state on screen: the API answers 412 if someone changed the record since. */
  readonly ifMatch?: string | null;
  /** One key per submit: a double tap or a retry after a dropped connection writes once. */
  readonly idempotencyKey?: string;
  /** After a command: the position it returned, so a list shows one's own write. */
  readonly minPosition?: string | null;
  /** When a step queued on the device was really made (X-Occurred-At). */
  readonly occurredAt?: string;
}

type TokenSource = () => string | null;
let tokenOf: TokenSource = () => null;
let onUnauthorized: () => void = () => undefined;

/** Wires the session in: where the token comes from, and what a 401 does (back to the login page). */
export function configureApi(source: TokenSource, unauthorized: () => void): void {
  tokenOf = source;
  onUnauthorized = unauthorized;
}

export const newKey = (): string => crypto.randomUUID();

export async function call<T>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = tokenOf();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.minPosition) headers['X-Min-Position'] = options.minPosition;
  if (options.occurredAt) headers['X-Occurred-At'] = options.occurredAt;
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    // No network: a record or the worklist is read from the device, as it was last seen.
    const kept = method === 'GET' ? await recall<T>(path).catch(() => null) : null;
    if (kept) return { ...kept, cached: true };
    throw new ApiError(0, 'NETWORK');
  }
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const retryAfter = response.headers.get('Retry-After');
    const error = new ApiError(
      response.status,
      typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
      retryAfter ? Number(retryAfter) : undefined,
      typeof body.detail === 'string' ? body.detail : undefined,
    );
    // An expired or missing session: back to the login page (a wrong password on login is a 401 too).
    if (response.status === 401 && path !== '/auth/login') onUnauthorized();
    throw error;
  }
  const etag = response.headers.get('ETag');
  if (method === 'GET' && cacheable(path)) void remember(path, body, etag).catch(() => undefined);
  return { data: body as T, etag };
}

/** Sends one queued step as it was made; answers with the status instead of throwing (0: no network). */
export async function sendQueued(step: QueuedStep, ifMatch: string | null): Promise<SendResult> {
  try {
    const { data, etag } = await call<Record<string, unknown>>(step.path, {
      body: step.body,
      ifMatch,
      idempotencyKey: step.idempotencyKey,
      occurredAt: step.occurredAt,
    });
    return { status: 200, body: data, etag };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 0) throw error;
    return {
      status: error.status,
      body: { code: error.code, ...(error.detail ? { detail: error.detail } : {}), errors: error.errors },
      etag: null,
    };
  }
}

/** A read of one's own write: sent again while the read models catch up (503 PROJECTION_BEHIND). */
export async function read<T>(path: string, minPosition?: string | null): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await call<T>(path, { minPosition })).data;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PROJECTION_BEHIND' && attempt < 5) {
        await new Promise((r) => setTimeout(r, Math.min(error.retryAfter ?? 1, 2) * 1000));
        continue;
      }
      throw error;
    }
  }
}

/** The position of the newest write this tab made: lists ask for it with X-Min-Position. */
let lastPosition: string | null = null;
export const rememberPosition = (position: unknown): void => {
  if (typeof position === 'string' && /^\d+$/.test(position)) lastPosition = position;
};
export const latestPosition = (): string | null => lastPosition;

/**
 * Downloads a file the API makes (the indicators' CSV, a case file) under the name the API gives it (its
 * Content-Disposition names the area and period, or the stream), through the same token as every call.
 */
export async function download(path: string, accept = 'text/csv'): Promise<void> {
  const response = await fetch(path, { headers: { Accept: accept, ...(tokenOf() ? { Authorization: `Bearer ${tokenOf()}` } : {}) } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: unknown };
    throw new ApiError(response.status, typeof body.code === 'string' ? body.code : `HTTP_${response.status}`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'download';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads an NDJSON answer line by line as it arrives (verification's progress, then its result). */
export async function streamLines(path: string, onLine: (line: unknown) => void): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { Accept: 'application/x-ndjson', ...(tokenOf() ? { Authorization: `Bearer ${tokenOf()}` } : {}) },
    });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { code?: unknown };
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, typeof body.code === 'string' ? body.code : `HTTP_${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
  }
  if (buffer.trim()) onLine(JSON.parse(buffer));
}
