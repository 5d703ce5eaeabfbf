/**
 * Bounds the work one request body can cause, before it is parsed: nesting depth, number of fields and of
 * array items, and the field names JavaScript treats specially. One pass over the bytes, so a hostile body
 * (10,000 levels deep, 50,000 unknown keys) is refused in milliseconds with a short answer, and never
 * reaches the parser's recursion or the validator's per-field error list.
 */
import { isUtf8 } from 'node:buffer';

import { isWellFormedText } from '@jejak/kernel';

export const BODY_LIMITS = { depth: 32, fields: 2_000, items: 10_000 } as const;

/** Names that `JSON.parse` and class-transformer would drop or treat as prototype pollution. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export class BodyRefused extends Error {
  readonly status = 400;
  constructor(
    readonly type: 'entity.too.complex' | 'entity.field.forbidden' | 'entity.text.invalid',
    readonly field?: string,
  ) {
    super(type);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]

/** body-parser's `verify` hook: throws BodyRefused, which the problem filter answers with a 400. */
export function guardBody(_request: unknown, _response: unknown, buffer: Buffer): void {
  let depth = 0;
  let fields = 0;
  let items = 0;
  let inString = false;
  let escaped = false;
  let stringStart = -1;
  let lastString: [number, number] | undefined;
  for (let i = 0; i < buffer.length; i++) {
    const byte = buffer[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) {
        inString = false;
        lastString = [stringStart, i];
      }
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
      stringStart = i + 1;
    } else if (OPEN.has(byte)) {
      if (++depth > BODY_LIMITS.depth) throw new BodyRefused('entity.too.complex');
    } else if (CLOSE.has(byte)) {
      depth--;
    } else if (byte === 0x3a /* : */) {
      if (++fields > BODY_LIMITS.fields) throw new BodyRefused('entity.too.complex');
      if (lastString && lastString[1] - lastString[0] <= 16) {
        const name = buffer.toString('utf8', lastString[0], lastString[1]);
        if (FORBIDDEN.has(name)) throw new BodyRefused('entity.field.forbidden', name);
      }
    } else if (byte === 0x2c /* , */) {
      if (++items > BODY_LIMITS.items) throw new BodyRefused('entity.too.complex');
    }
  }
  guardText(buffer);
}

/** An escaped UTF-16 surrogate (`\ud800`): only a pair of them is text. */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/**
 * Text is refused, never repaired: bytes that are not UTF-8 and a lone surrogate (`"\ud800"`, half of a
 * character) would otherwise become U+FFFD on the way to the store or the seal, a silent change of what
 * was sent. Runs after the bounds above, so the parse here is of a body already known to be small.
 */
function guardText(buffer: Buffer): void {
  if (!isUtf8(buffer)) throw new BodyRefused('entity.text.invalid');
  if (!ESCAPED_SURROGATE.test(buffer.toString('latin1'))) return;
  let body: unknown;
  try {
    body = JSON.parse(buffer.toString('utf8'));
  } catch {
    return; // malformed: the parser answers that
  }
  const field = lonePath(body, '');
  if (field !== undefined) throw new BodyRefused('entity.text.invalid', field || '(body)');
}

function lonePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = lonePath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (!isWellFormedText(key)) return here;
      const found = lonePath(inner, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
