import { type FieldError, JejakError } from '@jejak/kernel';

import type { ActualRevision, ExpectedRevision } from './types';

const show = (r: ExpectedRevision | ActualRevision): string => (typeof r === 'bigint' ? r.toString() : r);

/** The stream was not at the revision the writer expected: someone else wrote first. Nothing was written. */
export class WrongExpectedRevision extends JejakError {
  readonly code = 'CONCURRENCY_CONFLICT';
  readonly kind = 'conflict' as const;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`Stream ${streamId} expected at revision ${show(expected)} but is at ${show(actual)}`);
  }
}

export class StreamNotFound extends JejakError {
  readonly code = 'STREAM_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} does not exist`);
  }
}

/** An event id is already used, and the append is not an exact repeat of the append that used it. */
export class DuplicateEventId extends JejakError {
  readonly code = 'DUPLICATE_EVENT_ID';
  readonly kind = 'conflict' as const;
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`Event id(s) ${eventIds.join(', ')} already recorded, not as this same append to ${streamId}`);
  }
}

/** The append itself is malformed (names, sizes, serialisation). Nothing was written. */
export class InvalidAppend extends JejakError {
  readonly code = 'INVALID_APPEND';
  readonly kind = 'invalid' as const;
  constructor(message: string, errors: readonly FieldError[]) {
    super(message, { errors });
  }
}

/** The storage cannot be reached or refused service. Nothing was written. */
export class StoreUnavailable extends JejakError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly kind = 'unavailable' as const;
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** The embedded data directory is open in another process. */
export class DataDirectoryLocked extends JejakError {
  readonly code = 'DATA_DIRECTORY_LOCKED';
  readonly kind = 'unavailable' as const;
  constructor(
    readonly directory: string,
    readonly holderPid: number,
  ) {
    super(
      `Data directory ${directory} is in use by process ${holderPid}; ` + `stop that process or set JEJAK_DATA_DIR to another directory`,
    );
  }
}
