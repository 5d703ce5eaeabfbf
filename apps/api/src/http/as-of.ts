import { ValidationFailed } from './problem';

/** `?asOf=<ISO-8601 instant>` or `?revision=<n>`: which past state to rebuild from the log. */
export function parseAsOf(asOf: string | undefined, revision: string | undefined): { revision?: bigint; recordedAt?: Date } {
  if (asOf !== undefined && revision !== undefined) {
    throw new ValidationFailed([{ field: 'asOf', message: 'give asOf or revision, not both' }]);
  }
  if (asOf !== undefined) {
    const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(asOf) ? new Date(asOf) : new Date(NaN);
    if (Number.isNaN(instant.getTime())) {
      throw new ValidationFailed([{ field: 'asOf', message: 'must be an ISO-8601 instant with a time zone, e.g. 2026-11-29T08:00:00Z' }]);
    }
    return { recordedAt: instant };
  }
  if (revision !== undefined) {
    if (!/^\d{1,15}$/.test(revision)) throw new ValidationFailed([{ field: 'revision', message: 'must be a whole number >= 0' }]);
    return { revision: BigInt(revision) };
  }
  return {};
}
