import { createHash } from 'node:crypto';
import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import { eventMetadata, type EventStore } from '@jejak/event-store';
import { contextOf, type JejakRequest } from '../http/request';
import { EVENT_STORE } from '../tokens';

/** What kind of personal record a route reads; its `:id` parameter names the record. */
export type RecordKind = 'case' | 'placement' | 'prevention' | 'subject' | 'stream' | 'export';

const READS = Symbol('READS');

/** Marks a route whose every successful answer is recorded in the access log. */
export const RecordsAccess = (kind: RecordKind): MethodDecorator => SetMetadata(READS, kind);

export const ACCESS_EVENT = 'PersonalRecordRead';

export interface AccessEntry {
  readonly actorId: string;
  readonly role: string;
  readonly kind: RecordKind;
  readonly recordId: string;
  /** The route pattern, never the URL (a URL can carry query values). */
  readonly route: string;
  /** The data subjects whose records the answer held: ids only. */
  readonly subjectIds: readonly string[];
  readonly correlationId: string;
  readonly at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subject ids an answer holds, wherever a field named like `subjectId` or `workerSubjectId` carries one. */
export function subjectIdsIn(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (depth > 5 || found.size >= 50 || value === null || typeof value !== 'object') return found;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (/subjectid$/i.test(key) && typeof child === 'string' && UUID.test(child)) found.add(child.toLowerCase());
    else subjectIdsIn(child, found, depth + 1);
  }
  return found;
}

/**
 * The access log: every read of a personal record is an event, in the reader's own daily stream
 * (`access-<hash of the actor id>-<day>`, so readers never wait on each other and no name appears in a
 * stream name). Being events, the entries are append-only, chained and sealed like everything else.
 * The answer is held until its entry is written: a read that cannot be recorded is not served.
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
            const at = new Date();
            const entry: AccessEntry = {
              actorId: actor.id,
              role: actor.role,
              kind,
              recordId: String(request.params.id ?? request.params.stream ?? ''),
              route: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? ''}`,
              subjectIds: [...subjectIdsIn(body)],
              correlationId: request.correlationId,
              at: at.toISOString(),
            };
            const reader = createHash('sha256').update(actor.id).digest('hex').slice(0, 16);
            await this.store.append(`access-${reader}-${at.toISOString().slice(0, 10)}`, [{ type: ACCESS_EVENT, data: entry as never, metadata: eventMetadata(contextOf(request)) }], {
              expectedRevision: 'any',
            });
            return body;
          })(),
        ),
      ),
    );
  }
}
