import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import { ValidationFailed } from '../http/problem';

/**
 * Builds one page of a read-model list: territory first (an officer sees their villages, a supervisor or
 * auditor their region), then filters, then a keyset cursor on (sort column, id), newest first. Values
 * always travel as parameters; column names come from code, never from the request.
 */
export class ListQuery {
  private readonly params: unknown[] = [];
  private readonly where: string[] = [];
  private empty = false;

  constructor(private readonly sortColumn: string) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Rows whose `area` starts with one of the actor's scope codes; all rows for national scope. */
  territory(actor: Actor): this {
    if (actor.scopes.some((s) => s.level === 'national')) return this;
    const prefixes = actor.scopes.flatMap((s) => (s.level === 'national' ? [] : [s.code]));
    if (prefixes.length === 0) this.empty = true;
    else this.where.push(`exists (select 1 from unnest(${this.param(prefixes)}::text[]) s where starts_with(area, s))`);
    return this;
  }

  /** Adds `condition(placeholder)` when `value` is given. */
  when(value: unknown, condition: (placeholder: string) => string): this {
    if (value !== undefined && value !== null && value !== '') this.where.push(condition(this.param(value)));
    return this;
  }

  raw(condition: string): this {
    this.where.push(condition);
    return this;
  }

  async page<Row extends { id: string; sort_at: string | Date }>(
    db: SqlClient,
    table: string,
    select: string,
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: Row[]; nextCursor: string | null }> {
    if (this.empty) return { rows: [], nextCursor: null };
    if (options.cursor) {
      const [at, id] = decodeCursor(options.cursor);
      this.where.push(`(${this.sortColumn}, id) < (${this.param(at)}::timestamptz, ${this.param(id)})`);
    }
    const limit = options.limit ?? 50;
    const rows = await db.query<Row>(
      `select id, ${this.sortColumn} as sort_at, ${select} from ${table}
        ${this.where.length > 0 ? `where ${this.where.join(' and ')}` : ''}
        order by ${this.sortColumn} desc, id desc limit ${this.param(limit + 1)}`,
      this.params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const at = last ? (last.sort_at instanceof Date ? last.sort_at.toISOString() : new Date(last.sort_at).toISOString()) : '';
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(at, last.id) : null };
  }
}

const encodeCursor = (at: string, id: string): string => Buffer.from(JSON.stringify([at, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0]))) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new ValidationFailed([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
}

export const parseDoc = <T>(doc: T | string): T => (typeof doc === 'string' ? (JSON.parse(doc) as T) : doc);
