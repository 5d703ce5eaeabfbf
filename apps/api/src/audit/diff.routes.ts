import type { EventStore } from '@jejak/event-store';
import { NotFound } from '@jejak/kernel';
import { applyDecorators, Controller, Inject, Injectable } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { ApiAuthenticated } from '../http/openapi';
import { ValidationFailed } from '../http/problem';
import { UuidPipe } from '../http/uuid.pipe';
import { EVENT_STORE } from '../tokens';
import { Diff, DiffQuery } from './diff.dto';
import { diffStream } from './replay';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const DiffRoute = (): ClassDecorator => applyDecorators(ApiTags('audit'), ApiAuthenticated(), Controller());

/**
 * `GET /<resource>/<id>/diff?from=&to=`: the fields each event after `from` up to `to` changed in the
 * record's folded state, with the actor who changed them. Sealed and personal fields show that they
 * changed, never their values.
 */
@Injectable()
export abstract class DiffRoutes {
  constructor(@Inject(EVENT_STORE) protected readonly store: EventStore) {}

  protected async diff<S>(
    id: string,
    streamId: string,
    evolve: (s: S, e: { type: string; data: unknown }) => S,
    initial: S,
    q: DiffQuery,
    notFound: `${string}_NOT_FOUND`,
  ): Promise<Diff> {
    if (q.from > q.to) throw new ValidationFailed([{ field: 'from', message: 'must not be after to' }]);
    try {
      return { id, ...(await diffStream(this.store, streamId, evolve as never, initial, BigInt(q.from), BigInt(q.to))) };
    } catch (error) {
      if ((error as { code?: string }).code === 'STREAM_NOT_FOUND') throw new NotFound(notFound, 'No such record');
      throw error;
    }
  }
}
