import { JejakError } from '@jejak/kernel';
import type { Response } from 'express';

class BadPrecondition extends JejakError {
  readonly code = 'INVALID_IF_MATCH';
  readonly kind = 'invalid' as const;
}

/** Parses `If-Match: "<n>"` (or W/"<n>"); undefined when absent. */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,18})"\s*$/.exec(header);
  if (!match)
    throw new BadPrecondition('If-Match must be a revision ETag such as "3"', {
      errors: [{ field: 'If-Match', message: 'must look like "3"' }],
    });
  return BigInt(match[1]!);
}

/** What a command wrote: the stream's id, its new revision, and the global position of the write. */
export interface Written {
  readonly id: string;
  readonly revision: bigint | undefined;
  /** Absent only when the command wrote nothing new (an idempotent repeat of a no-op). */
  readonly position?: bigint;
}

/**
 * The write response of every command: `{ id, revision }` plus the ETag of the new revision, and, where
 * the handler knows it, the global `position` of the write (a string: positions exceed 2^53), which a
 * client passes back as X-Min-Position to read its own write from a list.
 */
export function revisionResponse(
  response: Response,
  id: string,
  revision: bigint | undefined,
  position?: bigint,
): { id: string; revision: number; position?: string } {
  const n = revision === undefined ? -1 : Number(revision);
  response.setHeader('ETag', `"${n}"`);
  return position === undefined ? { id, revision: n } : { id, revision: n, position: position.toString() };
}
