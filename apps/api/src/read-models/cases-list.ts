import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATEGORIES, URGENCIES } from '@jejak/accompaniment';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import type { CaseSummary } from '@jejak/read-models';
import { ValidationFailed } from '../http/problem';
import { SQL_CLIENT } from '../tokens';
import { ReadModels } from './read-models.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CaseListQuery {
  @ApiPropertyOptional({ enum: ['open', 'suspended', 'resolved', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'suspended', 'resolved', 'closed'])
  status?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: string;

  @ApiPropertyOptional({ description: 'officer id' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  assignedTo?: string;

  @ApiPropertyOptional({ description: 'administrative code prefix: province (2), regency (4), district (6) or village (10 digits)' })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'must be a 2, 4, 6 or 10-digit administrative code' })
  area?: string;

  @ApiPropertyOptional({ description: 'only cases with a first action or resolution overdue now' })
  @IsOptional()
  @Type(() => Boolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date like 2026-01-01' })
  openedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date like 2026-12-31' })
  openedTo?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export type CaseListItem = Omit<CaseSummary, 'state'> & { readonly overdue: boolean };

/** Pages of the case list, newest first, always within the caller's territory. */
@Injectable()
export class CasesList {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
  ) {}

  async page(query: CaseListQuery, actor: Actor, now = new Date()): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const table = await this.readModels.table('cases');
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    // Territory first: an officer sees their villages, a supervisor or auditor their region.
    if (!actor.scopes.some((s) => s.level === 'national')) {
      const prefixes = actor.scopes.map((s) => (s.level === 'national' ? '' : s.code));
      if (prefixes.length === 0) return { items: [], nextCursor: null };
      add((p) => `exists (select 1 from unnest(${p}::text[]) s where starts_with(area, s))`, prefixes);
    }
    if (query.status) add((p) => `status = ${p}`, query.status);
    if (query.category) add((p) => `${p} = any(categories)`, query.category);
    if (query.urgency) add((p) => `urgency = ${p}`, query.urgency);
    if (query.assignedTo) add((p) => `assigned_to = ${p}`, query.assignedTo);
    if (query.area) add((p) => `starts_with(area, ${p})`, query.area);
    if (query.openedFrom) add((p) => `opened_at >= ${p}::date`, query.openedFrom);
    if (query.openedTo) add((p) => `opened_at < (${p}::date + 1)`, query.openedTo);
    params.push(now.toISOString());
    const at = `$${params.length}::timestamptz`;
    const overdue = `((first_action_at is null and first_action_due < ${at}) or (resolved_at is null and status <> 'closed' and resolution_due < ${at}))`;
    if (query.overdue === true) where.push(overdue);
    if (query.overdue === false) where.push(`not ${overdue}`);
    if (query.cursor) {
      const [openedAt, id] = decodeCursor(query.cursor);
      add((p) => `(opened_at, id) < (${p}::timestamptz`, openedAt);
      where[where.length - 1] += `, $${params.push(id)})`;
    }
    const limit = query.limit ?? 50;
    params.push(limit + 1);
    const rows = await this.db.query<{ doc: CaseSummary | string; overdue: boolean }>(
      `select doc, ${overdue} as overdue from ${table} ${where.length ? `where ${where.join(' and ')}` : ''}
        order by opened_at desc, id desc limit $${params.length}`,
      params,
    );
    const docs = rows.map((r) => ({ doc: (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as CaseSummary, overdue: r.overdue }));
    const items = docs.slice(0, limit).map(({ doc, overdue: late }) => {
      const { state: _state, ...summary } = doc;
      return { ...summary, overdue: late };
    });
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > limit && last ? encodeCursor(last.openedAt, last.id) : null };
  }
}

const encodeCursor = (openedAt: string, id: string): string => Buffer.from(JSON.stringify([openedAt, id])).toString('base64url');

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
