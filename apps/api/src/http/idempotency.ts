import { createHash } from 'node:crypto';

import {
  type EventStore,
  mapStorageError,
  migrate,
  type Migration,
  type RecordedEvent,
  type SqlClient,
  SqlEventStore,
} from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { EVENT_STORE, SQL_CLIENT } from '../tokens';
import type { JejakRequest } from './request';

export const IDEMPOTENCY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'idempotency keys',
    sql: `
      -- One row per (actor, key): the request's fingerprint and, once done, the response to replay.
      create table jejak_idempotency (
        actor_id text not null,
        key text not null,
        request_hash text not null,
        status integer,
        body text,
        headers text,
        created_at timestamptz not null default now(),
        primary key (actor_id, key)
      );
      create index jejak_idempotency_created on jejak_idempotency (created_at);
    `,
  },
  {
    version: 2,
    name: 'idempotency claims a crash can leave',
    sql: `
      -- What a retry needs to tell a claim whose process died before writing from one that died after:
      -- the request's correlation id (its events carry it) and the log's head when the claim was made.
      alter table jejak_idempotency add column correlation_id text, add column log_head text;
    `,
  },
];

class IdempotencyProblem extends JejakError {
  constructor(
    readonly code: 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS' | 'INVALID_IDEMPOTENCY_KEY',
    readonly kind: 'unprocessable' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(
      message,
      code === 'INVALID_IDEMPOTENCY_KEY'
        ? { errors: [{ field: 'Idempotency-Key', message: 'must be 1-200 printable characters' }] }
        : undefined,
    );
  }
}

/** JSON with sorted keys, so that the same body sent with another key order has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const REPLAYED_HEADERS = ['etag', 'location'];
/** takeOver's answer when the claim is now this request's and the request is to run. */
const TAKEN_OVER = Symbol('taken over');
const KEEP_HOURS = 24;
/**
 * A claim still without an answer after this long was left by a process that died (no command runs for a
 * minute): a retry takes it over. What the dead process wrote decides how: nothing, and the retry runs the
 * request; its events, and the retry answers from them without running it again.
 */
export const ABANDONED_AFTER_SECONDS = 60;
/** How far after an abandoned claim a retry looks for the events it wrote. */
const ABANDONED_SCAN = 200_000;

/**
 * `Idempotency-Key` on any POST: the first request with a key runs and its successful response is kept for
 * 24 hours; a repeat with the same key and body gets that response again and writes nothing; the same key
 * with another body is a 422. Keys belong to the caller (the token's subject), so clients cannot collide.
 * A request still running under a key makes a concurrent repeat wait its turn (409, Retry-After); a claim
 * abandoned by a process that died is taken over by the next repeat (ABANDONED_AFTER_SECONDS).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly reflector: Reflector,
  ) {}

  static async migrate(db: SqlClient): Promise<void> {
    await migrate(db, 'api', IDEMPOTENCY_MIGRATIONS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<JejakRequest>();
    const key = request.header('idempotency-key');
    // Public routes (POST /auth/login) are not replayed: a login answer is a bearer token, never stored.
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    return from(this.run(context, request, key, next));
  }

  private async run(context: ExecutionContext, request: JejakRequest, key: string, next: CallHandler): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new IdempotencyProblem('INVALID_IDEMPOTENCY_KEY', 'invalid', 'Invalid Idempotency-Key');
    const response = context.switchToHttp().getResponse<Response>();
    const actor = request.actor!.id;
    const hash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${canonical(request.body ?? null)}`)
      .digest('hex');

    const claimed = await this.query<{ claimed: number }>(
      `insert into jejak_idempotency (actor_id, key, request_hash, correlation_id, log_head) values ($1, $2, $3, $4, ${await this.headSql()})
         on conflict (actor_id, key) do nothing returning 1 as claimed`,
      [actor, key, hash, request.correlationId],
    );
    if (claimed.length === 0) {
      const [row] = await this.query<{
        request_hash: string;
        status: number | null;
        body: string | null;
        headers: string | null;
        expired: boolean;
        abandoned: boolean;
        correlation_id: string | null;
        log_head: string | null;
        created_at: string;
      }>(
        `select request_hash, status, body, headers, created_at < now() - interval '${KEEP_HOURS} hours' as expired,
                created_at < now() - interval '${ABANDONED_AFTER_SECONDS} seconds' as abandoned,
                correlation_id, log_head, created_at::text as created_at
           from jejak_idempotency where actor_id = $1 and key = $2`,
        [actor, key],
      );
      if (row && row.expired) {
        await this.query(`delete from jejak_idempotency where actor_id = $1 and key = $2`, [actor, key]);
        return this.run(context, request, key, next);
      }
      if (!row) return this.run(context, request, key, next); // released meanwhile
      if (row.request_hash !== hash) {
        throw new IdempotencyProblem('IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was used with another request');
      }
      if (row.status === null && row.abandoned) {
        const answered = await this.takeOver(context, request, response, key, row);
        if (answered !== TAKEN_OVER) return answered;
        return this.execute(context, request, response, key, next);
      }
      if (row.status === null) {
        throw Object.assign(
          new IdempotencyProblem('IDEMPOTENCY_KEY_IN_PROGRESS', 'conflict', 'A request with this Idempotency-Key is still running'),
          {
            retryAfterSeconds: 1,
          },
        );
      }
      for (const [name, value] of Object.entries(JSON.parse(row.headers ?? '{}') as Record<string, string>))
        response.setHeader(name, value);
      response.setHeader('Idempotent-Replayed', 'true');
      response.status(row.status);
      return row.body === null ? undefined : (JSON.parse(row.body) as unknown);
    }

    return this.execute(context, request, response, key, next);
  }

  /**
   * A claim whose process died: if its request wrote nothing, this repeat takes the claim (a compare-and-set
   * on its time, so two repeats cannot both) and the request runs; if it wrote its events, they are the
   * answer: `{ id, revision, position }` of the record written, with its ETag and the route's status,
   * remembered like any answer, and nothing is written again.
   */
  private async takeOver(
    context: ExecutionContext,
    request: JejakRequest,
    response: Response,
    key: string,
    row: { correlation_id: string | null; log_head: string | null; created_at: string },
  ): Promise<unknown> {
    const actor = request.actor!.id;
    const written: RecordedEvent[] = [];
    if (row.correlation_id !== null && row.log_head !== null) {
      let scanned = 0;
      for await (const event of this.store.readAll({ fromPosition: BigInt(row.log_head) + 1n })) {
        // The request's own writes: its correlation id, its actor, not caused by another event (the process
        // managers' reactions carry the correlation id of what they react to).
        const m = event.metadata as { correlationId?: string; actorId?: string; causationId?: string };
        if (
          m.correlationId === row.correlation_id &&
          m.actorId === actor &&
          m.causationId === undefined &&
          !event.streamId.startsWith('access-')
        ) {
          written.push(event);
        }
        if (++scanned >= ABANDONED_SCAN) break;
      }
    }
    if (written.length === 0) {
      const taken = await this.query<{ taken: number }>(
        `update jejak_idempotency set created_at = now(), correlation_id = $4, log_head = ${await this.headSql()}
           where actor_id = $1 and key = $2 and status is null and created_at::text = $3 returning 1 as taken`,
        [actor, key, row.created_at, request.correlationId],
      );
      if (taken.length === 0) {
        throw Object.assign(
          new IdempotencyProblem('IDEMPOTENCY_KEY_IN_PROGRESS', 'conflict', 'A request with this Idempotency-Key is still running'),
          { retryAfterSeconds: 1 },
        );
      }
      return TAKEN_OVER;
    }
    // The record is the stream written last (a person registered alongside comes first).
    const last = written[written.length - 1]!;
    const id = last.streamId.slice(last.streamId.indexOf('-') + 1);
    const status = this.reflector.get<number | undefined>('__httpCode__', context.getHandler()) ?? 201;
    const body = { id, revision: Number(last.revision), position: last.position.toString() };
    const headers = { etag: `"${body.revision}"` };
    await this.query(`update jejak_idempotency set status = $3, body = $4, headers = $5 where actor_id = $1 and key = $2`, [
      actor,
      key,
      status,
      JSON.stringify(body),
      JSON.stringify(headers),
    ]);
    response.setHeader('ETag', headers.etag);
    response.setHeader('Idempotent-Replayed', 'true');
    response.status(status);
    return body;
  }

  private async execute(
    context: ExecutionContext,
    request: JejakRequest,
    response: Response,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    const actor = request.actor!.id;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status = this.reflector.get<number | undefined>('__httpCode__', context.getHandler()) ?? 201;
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.filter((h) => response.hasHeader(h)).map((h) => [h, String(response.getHeader(h))]),
      );
      await this.query(`update jejak_idempotency set status = $3, body = $4, headers = $5 where actor_id = $1 and key = $2`, [
        actor,
        key,
        status,
        body === undefined ? null : JSON.stringify(body),
        JSON.stringify(headers),
      ]);
      if (Math.random() < 0.01) {
        await this.query(`delete from jejak_idempotency where created_at < now() - interval '${KEEP_HOURS} hours'`, []);
      }
      return body;
    } catch (error) {
      // Only successes are remembered: after a refusal the client may fix the request and retry the key.
      await this.query(`delete from jejak_idempotency where actor_id = $1 and key = $2`, [actor, key]).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The log's head as an SQL expression for the claim: read in the same statement when the events are in
   * this database (one round trip per command, as before), else asked of the event store and inlined.
   */
  private async headSql(): Promise<string> {
    if (this.store instanceof SqlEventStore) return `(select coalesce(max(position), 0)::text from jejak_events)`;
    const head = await this.store.head().catch((error: unknown) => Promise.reject(mapStorageError(error)));
    return `'${(head ?? 0n).toString()}'`;
  }

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }
}
