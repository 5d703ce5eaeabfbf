import type { Response } from 'express';
import { JejakError } from '@jejak/kernel';

class BadPrecondition extends JejakError {
  readonly code = 'INVALID_IF_MATCH';
  readonly kind = 'invalid' as const;
}

/** Parses `If-Match: "<n>"` (or W/"<n>"); undefined when absent. */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,18})"\s*$/.exec(header);
  if (!match) throw new BadPrecondition('If-Match must be a revision ETag such as "3"', { errors: [{ field: 'If-Match', message: 'must look like "3"' }] });
  return BigInt(match[1]!);
}

/** The write response of every command: `{ id, revision }` plus the ETag of the new revision. */
export function revisionResponse(response: Response, id: string, revision: bigint | undefined): { id: string; revision: number } {
  const n = revision === undefined ? -1 : Number(revision);
  response.setHeader('ETag', `"${n}"`);
  return { id, revision: n };
}
