import { randomUUID } from 'node:crypto';

import { type FieldError, isWellFormedText } from '@jejak/kernel';

import { InvalidAppend } from './errors';
import { callerSetMac, MAC_METADATA_KEY, withMacs } from './integrity';
import type { EventStoreLimits, ExpectedRevision, NewEvent } from './types';

/** An event checked and serialised once, ready for any adapter. */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 control characters, DEL. Names with them cannot be shown or logged safely.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MAX_TYPE_LENGTH = 128;

/**
 * Serialises a value to JSON, refusing what JSON.stringify would silently change or drop: undefined,
 * functions, symbols, bigints, NaN and Infinity, class instances other than plain objects and arrays,
 * cycles, and the NUL character (PostgreSQL's jsonb cannot store it).
 * Returns the problem's path instead of throwing so callers can report every field.
 */
export function toStrictJson(value: unknown, path: string): { json: string } | { error: FieldError } {
  const seen = new Set<object>();
  const check = (v: unknown, at: string): FieldError | undefined => {
    switch (typeof v) {
      case 'string':
        if (v.includes('\u0000')) return { field: at, message: 'must not contain the NUL character' };
        // A lone UTF-16 surrogate is not text: jsonb refuses it, and UTF-8 cannot spell it.
        return !isWellFormedText(v) ? { field: at, message: 'must not contain a lone UTF-16 surrogate' } : undefined;
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : { field: at, message: 'must be a finite number' };
      case 'object': {
        if (v === null) return undefined;
        if (seen.has(v)) return { field: at, message: 'must not contain a cycle' };
        const proto = Object.getPrototypeOf(v) as unknown;
        if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
          return { field: at, message: 'must be plain JSON (objects, arrays, strings, numbers, booleans, null)' };
        }
        seen.add(v);
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const problem = check(v[i], `${at}[${i}]`);
            if (problem) return problem;
          }
        } else {
          for (const [key, child] of Object.entries(v)) {
            if (key.includes('\u0000')) return { field: at, message: 'keys must not contain the NUL character' };
            if (!isWellFormedText(key)) return { field: at, message: 'keys must not contain a lone UTF-16 surrogate' };
            // JSON.stringify drops undefined properties: treat them as absent, as JSON would.
            if (child === undefined) continue;
            const problem = check(child, `${at}.${key}`);
            if (problem) return problem;
          }
        }
        seen.delete(v);
        return undefined;
      }
      default:
        return { field: at, message: `must be JSON-serialisable (got ${typeof v})` };
    }
  };
  const problem = check(value, path);
  return problem ? { error: problem } : { json: JSON.stringify(value) };
}

export function validateStreamName(streamId: unknown, limits: EventStoreLimits): FieldError | undefined {
  if (typeof streamId !== 'string' || streamId.trim().length === 0) {
    return { field: 'streamId', message: 'must be a non-empty string' };
  }
  if (streamId.length > limits.maxStreamNameLength) {
    return { field: 'streamId', message: `must be at most ${limits.maxStreamNameLength} characters` };
  }
  if (CONTROL.test(streamId)) return { field: 'streamId', message: 'must not contain control characters' };
  return undefined;
}

function validateExpected(expected: unknown): FieldError | undefined {
  if (expected === 'no_stream' || expected === 'any' || expected === 'stream_exists') return undefined;
  if (typeof expected === 'bigint' && expected >= 0n) return undefined;
  return { field: 'expectedRevision', message: "must be 'no_stream', 'any', 'stream_exists' or a revision >= 0n" };
}

/** Checks a whole append before anything touches storage: all or nothing starts here. */
export function prepareAppend(
  streamId: string,
  given: readonly NewEvent[],
  expectedRevision: ExpectedRevision,
  limits: EventStoreLimits,
  /** The store's event MAC key: each event gets its MAC (integrity.ts); callers may not set one. */
  macKey?: Buffer,
): PreparedEvent[] {
  const errors: FieldError[] = [];
  const forged = callerSetMac(given);
  if (forged >= 0)
    throw new InvalidAppend('Invalid append', [
      { field: `events[${forged}].metadata`, message: `must not use the reserved key ${MAC_METADATA_KEY}` },
    ]);
  const events = withMacs(macKey, streamId, given);
  const streamProblem = validateStreamName(streamId, limits);
  if (streamProblem) errors.push(streamProblem);
  const expectedProblem = validateExpected(expectedRevision);
  if (expectedProblem) errors.push(expectedProblem);
  if (!Array.isArray(events) || events.length === 0) {
    errors.push({ field: 'events', message: 'must hold at least one event' });
  } else if (events.length > limits.maxBatchEvents) {
    errors.push({ field: 'events', message: `must hold at most ${limits.maxBatchEvents} events` });
  }
  if (errors.length > 0) throw new InvalidAppend('Invalid append', errors);

  const prepared: PreparedEvent[] = [];
  const ids = new Set<string>();
  events.forEach((event, i) => {
    const at = `events[${i}]`;
    const id = event.id ?? randomUUID();
    if (typeof id !== 'string' || !UUID.test(id)) errors.push({ field: `${at}.id`, message: 'must be a UUID' });
    else if (ids.has(id.toLowerCase())) errors.push({ field: `${at}.id`, message: 'is repeated within the append' });
    ids.add(String(id).toLowerCase());
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_TYPE_LENGTH) {
      errors.push({ field: `${at}.type`, message: `must be a string of 1 to ${MAX_TYPE_LENGTH} characters` });
    } else if (CONTROL.test(event.type)) {
      errors.push({ field: `${at}.type`, message: 'must not contain control characters' });
    }
    const data = toStrictJson(event.data, `${at}.data`);
    const metadata = toStrictJson(event.metadata ?? {}, `${at}.metadata`);
    if ('error' in data) errors.push(data.error);
    if ('error' in metadata) errors.push(metadata.error);
    if (event.metadata !== undefined && (typeof event.metadata !== 'object' || Array.isArray(event.metadata) || event.metadata === null)) {
      errors.push({ field: `${at}.metadata`, message: 'must be an object' });
    }
    if ('json' in data && 'json' in metadata) {
      const bytes = Buffer.byteLength(data.json) + Buffer.byteLength(metadata.json);
      if (bytes > limits.maxEventBytes) {
        errors.push({ field: at, message: `is ${bytes} bytes, over the limit of ${limits.maxEventBytes}` });
      } else {
        prepared.push({ id: String(id).toLowerCase(), type: event.type, dataJson: data.json, metadataJson: metadata.json });
      }
    }
  });
  if (errors.length > 0) throw new InvalidAppend('Invalid append', errors);
  return prepared;
}
