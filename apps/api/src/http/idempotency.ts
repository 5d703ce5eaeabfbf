import { createHash } from 'node:crypto';

import { mapStorageError, migrate, type Migration, type SqlClient } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { SQL_CLIENT } from '../tokens';
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
const KEEP_HOURS = 24;

/**
 * `Idempotency-Key` on any POST: the first request with a key runs and its successful response is kept for
 * 24 hours; a repeat with the same key and body gets that response again and writes nothing; the same key
 * with another body is a 422. Keys belong to the caller (the token's subject), so clients cannot collide.
 * A request still running under a key makes a concurrent repeat wait its turn (409, Retry-After).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
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
      `insert into jejak_idempotency (actor_id, key, request_hash) values ($1, $2, $3)
         on conflict (actor_id, key) do nothing returning 1 as claimed`,
      [actor, key, hash],
    );
    if (claimed.length === 0) {
      const [row] = await this.query<{
        request_hash: string;
        status: number | null;
        body: string | null;
        headers: string | null;
        expired: boolean;
      }>(
        `select request_hash, status, body, headers, created_at < now() - interval '${KEEP_HOURS} hours' as expired
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

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }
}
