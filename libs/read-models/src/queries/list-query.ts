import type { SqlClient } from '@jejak/event-store';
import { type Actor, JejakError } from '@jejak/kernel';

/** A cursor this API did not give out: refused as invalid input, as any field is. */
class CursorNotValid extends JejakError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The request is not valid', { errors: [{ field: 'cursor', message: 'is not a cursor this API gave out' }] });
  }
}

/**
 * Builds one page of a read-model list: territory first (an officer sees their villages, a supervisor or
 * auditor their region), then filters, then a keyset cursor on (sort column, id), newest first. Values
 * always travel as parameters; column names come from code, never from the request.
 */
export class ListQuery {
  private readonly params: unknown[] = [];
  private readonly where: string[] = [];
  private empty = false;

  /**
   * `sortColumn` is a column or an expression over columns (from code); `direction` 'asc' gives the earliest
   * first (a worklist's deadlines), the lists' default is newest first.
   */
  constructor(
    private readonly sortColumn: string,
    private readonly direction: 'asc' | 'desc' = 'desc',
  ) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /**
   * Rows whose `area` starts with one of the actor's scope codes; all rows for national scope. Written so
   * that an index on `area` can answer it: a village (the finest code) is an equality, a larger area the
   * range of codes that start with it (area codes are digits, so `32` to `33` holds exactly the codes
   * starting with `32`).
   */
  territory(actor: Actor): this {
    if (actor.scopes.some((s) => s.level === 'national')) return this;
    const prefixes = [...new Set(actor.scopes.flatMap((s) => (s.level === 'national' ? [] : [s.code])))];
    if (prefixes.length === 0) {
      this.empty = true;
      return this;
    }
    const terms = prefixes.map((code) => {
      if (code.length === VILLAGE_CODE_LENGTH) return `area = ${this.param(code)}`;
      const after = nextCode(code);
      return after ? `(area >= ${this.param(code)} and area < ${this.param(after)})` : `area >= ${this.param(code)}`;
    });
    this.where.push(terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`);
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
      this.where.push(
        `(${this.sortColumn}, id) ${this.direction === 'desc' ? '<' : '>'} (${this.param(at)}::timestamptz, ${this.param(id)})`,
      );
    }
    const limit = options.limit ?? 50;
    // Two steps: the page's ids first, from the filter and sort columns alone (an index can hold them
    // all, so the filters are checked without reading a document), then the selected columns of just
    // those rows.
    const rows = await db.query<Row>(
      `with page as materialized (
         select id as page_id, ${this.sortColumn} as page_at from ${table}
          ${this.where.length > 0 ? `where ${this.where.join(' and ')}` : ''}
          order by ${this.sortColumn} ${this.direction}, id ${this.direction} limit ${this.param(limit + 1)})
       select page.page_id as id, page.page_at as sort_at, ${select}
         from page join ${table} on ${table}.id = page.page_id
        order by page.page_at ${this.direction}, page.page_id ${this.direction}`,
      this.params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const at = last ? (last.sort_at instanceof Date ? last.sort_at.toISOString() : new Date(last.sort_at).toISOString()) : '';
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(at, last.id) : null };
  }
}

/** Village codes are the finest administrative codes: 10 digits. */
const VILLAGE_CODE_LENGTH = 10;

/** The first code of the same length after every code starting with `code` (`32` gives `33`); none after `99`. */
function nextCode(code: string): string | undefined {
  if (/^9+$/.test(code)) return undefined;
  return (BigInt(code) + 1n).toString().padStart(code.length, '0');
}

const encodeCursor = (at: string, id: string): string => Buffer.from(JSON.stringify([at, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new CursorNotValid();
}

export const parseDoc = <T>(doc: T | string): T => (typeof doc === 'string' ? (JSON.parse(doc) as T) : doc);

/** Records that name the person: the `subjects` column holds lower-case ids, and a GIN index answers `@>`. */
export const namesSubject = (placeholder: string): string => `subjects @> array[lower(${placeholder})]::text[]`;
