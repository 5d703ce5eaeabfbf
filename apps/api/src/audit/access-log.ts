import { recordAccess, type RecordKind, subjectIdsIn } from '@jejak/audit';
import { eventMetadata, type EventStore } from '@jejak/event-store';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';

import { contextOf, type JejakRequest } from '../http/request';
import { EVENT_STORE } from '../tokens';

export type { RecordKind } from '@jejak/audit';
export { ACCESS_EVENT } from '@jejak/audit';

const READS = Symbol('READS');

/** Marks a route whose every successful answer is recorded in the access log. */
export const RecordsAccess = (kind: RecordKind): MethodDecorator => SetMetadata(READS, kind);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every read of a personal record is recorded (see libs/audit access.ts) with the subjects its answer
 * held. The answer is held until its entry is written: a read that cannot be recorded is not served.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const kind = this.reflector.get<RecordKind | undefined>(READS, context.getHandler());
    if (!kind) return next.handle();
    const request = context.switchToHttp().getRequest<JejakRequest>();
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const actor = request.actor!;
            const recordId = String(request.params.id ?? request.params.stream ?? '');
            // A subject's own answer names them by `id`: they are the person read.
            const held = subjectIdsIn(body);
            if (kind === 'subject' && UUID.test(recordId)) held.add(recordId.toLowerCase());
            await recordAccess(
              this.store,
              {
                actorId: actor.id,
                role: actor.role,
                kind,
                recordId,
                route: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? ''}`,
                correlationId: request.correlationId,
                at: request.now ?? new Date(),
              },
              held,
              eventMetadata(contextOf(request)),
            );
            return body;
          })(),
        ),
      ),
    );
  }
}
