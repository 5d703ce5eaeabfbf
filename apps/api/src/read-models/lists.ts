import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import { MILESTONES } from '@jejak/placement';
import { FLAGS, OUTCOMES, SOURCES } from '@jejak/prevention';
import { overdueSql, type PlacementSummary, type PreventionSummary } from '@jejak/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

import { DateField } from '../http/dates';
import { CONFIG, SQL_CLIENT } from '../tokens';
import { ListQuery, parseDoc } from './list-query';
import { ReadModels } from './read-models.service';

/** What every list takes: an area prefix, a page size, and the cursor of the previous page. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'administrative code prefix: 2, 4, 6 or 10 digits' })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'must be a 2, 4, 6 or 10-digit administrative code' })
  area?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'only records that name this person (a subject id, as POST /subjects/lookup gives it)',
  })
  @IsOptional()
  @IsUUID()
  subject?: string;
}

/** Records that name the person: the `subjects` column holds lower-case ids, and a GIN index answers `@>`. */
export const namesSubject = (placeholder: string): string => `subjects @> array[lower(${placeholder})]::text[]`;

export class PlacementListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'departed', 'returned', 'withdrawn', 'failed_to_depart', 'flagged_non_procedural'] })
  @IsOptional()
  @IsIn(['open', 'departed', 'returned', 'withdrawn', 'failed_to_depart', 'flagged_non_procedural'])
  status?: string;

  @ApiPropertyOptional({ enum: ['registered', ...MILESTONES] })
  @IsOptional()
  @IsIn(['registered', ...MILESTONES])
  stage?: string;

  @DateField({ example: '2026-01-01', description: 'registered on or after this day (the day the figures count it on)', optional: true })
  registeredFrom?: string;

  @DateField({ example: '2026-01-31', description: 'registered on or before this day', optional: true })
  registeredTo?: string;
}

export class PreventionListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'reported on or after this day, in the deployment time zone', optional: true })
  reportedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'reported on or before this day, in the deployment time zone', optional: true })
  reportedTo?: string;

  @ApiPropertyOptional({ enum: ['reported', 'confirmed', 'dismissed', 'outcome_recorded', 'closed'] })
  @IsOptional()
  @IsIn(['reported', 'confirmed', 'dismissed', 'outcome_recorded', 'closed'])
  status?: string;

  @ApiPropertyOptional({ enum: SOURCES })
  @IsOptional()
  @IsIn(SOURCES)
  source?: string;

  @ApiPropertyOptional({ enum: FLAGS })
  @IsOptional()
  @IsIn(FLAGS)
  flag?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: string;
}

const strip = <T extends { state: unknown }>(doc: T): Omit<T, 'state'> => {
  const { state: _state, ...rest } = doc;
  return rest;
};

@Injectable()
export class Lists {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: JejakConfig,
  ) {}

  async placements(query: PlacementListQuery, actor: Actor) {
    const list = new ListQuery('sort_at')
      .territory(actor)
      .when(query.status, (p) => `status = ${p}`)
      .when(query.stage, (p) => `stage = ${p}`)
      .when(query.registeredFrom, (p) => `registered_on >= ${p}`)
      .when(query.registeredTo, (p) => `registered_on <= ${p}`)
      .when(query.subject, namesSubject)
      .when(query.area, (p) => `starts_with(area, ${p})`);
    const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: PlacementSummary | string }>(
      this.db,
      await this.readModels.table('placements'),
      'doc',
      { limit: query.limit, cursor: query.cursor },
    );
    return { items: rows.map((r) => strip(parseDoc(r.doc))), nextCursor };
  }

  async preventions(query: PreventionListQuery, actor: Actor) {
    const list: ListQuery = new ListQuery('sort_at');
    const zone = () => list.param(this.config.timeZone);
    list
      .territory(actor)
      .when(query.status, (p) => `status = ${p}`)
      .when(query.source, (p) => `source = ${p}`)
      .when(query.flag, (p) => `${p} = any(flags)`)
      .when(query.outcome, (p) => `outcome = ${p}`)
      .when(query.subject, namesSubject)
      // Days in the deployment's time zone, as the figures count reports.
      .when(query.reportedFrom, (p) => `sort_at >= (${p}::date)::timestamp at time zone ${zone()}`)
      .when(query.reportedTo, (p) => `sort_at < (${p}::date + 1)::timestamp at time zone ${zone()}`)
      .when(query.area, (p) => `starts_with(area, ${p})`);
    const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: PreventionSummary | string }>(
      this.db,
      await this.readModels.table('preventions'),
      'doc',
      { limit: query.limit, cursor: query.cursor },
    );
    return { items: rows.map((r) => strip(parseDoc(r.doc))), nextCursor };
  }

  /**
   * An officer's open work across the three workflows, within their territory: cases by what falls due
   * first (the first action, then the resolution), overdue ones marked; then open placements and
   * prevention records, oldest first.
   */
  async worklist(actor: Actor, now: Date): Promise<{ items: WorklistItem[] }> {
    const cases = new ListQuery('opened_at').territory(actor).raw(`status <> 'closed'`);
    const at = cases.param(now.toISOString());
    const due = `case when first_action_at is null then first_action_due else resolution_due end`;
    const caseRows = await cases.page<{
      id: string;
      sort_at: string;
      due: string | Date;
      area: string;
      status: string;
      urgency: string | null;
    }>(this.db, await this.readModels.table('cases'), `${due} as due, area, status, urgency, ${overdueSql(at)} as overdue`, { limit: 200 });
    const placements = await new ListQuery('sort_at')
      .territory(actor)
      .raw(`status = 'open'`)
      .page<{ id: string; sort_at: string; area: string; stage: string }>(
        this.db,
        await this.readModels.table('placements'),
        'area, stage',
        { limit: 200 },
      );
    const preventions = await new ListQuery('sort_at')
      .territory(actor)
      .raw(`status in ('reported', 'confirmed', 'outcome_recorded')`)
      .page<{ id: string; sort_at: string; area: string; status: string }>(
        this.db,
        await this.readModels.table('preventions'),
        'area, status',
        { limit: 200 },
      );
    const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();
    const items: WorklistItem[] = [
      ...(
        caseRows.rows as unknown as {
          id: string;
          due: string | Date;
          area: string;
          status: string;
          urgency: string | null;
          overdue: boolean;
        }[]
      )
        .map((r) => ({
          kind: 'case' as const,
          id: r.id,
          areaCode: r.area,
          status: r.status,
          urgency: r.urgency,
          due: iso(r.due),
          overdue: r.overdue,
          since: null,
        }))
        .sort((a, b) => a.due.localeCompare(b.due)),
      ...[...placements.rows].reverse().map((r) => ({
        kind: 'placement' as const,
        id: r.id,
        areaCode: r.area,
        status: r.stage,
        urgency: null,
        due: null,
        overdue: false,
        since: iso(r.sort_at),
      })),
      ...[...preventions.rows].reverse().map((r) => ({
        kind: 'prevention' as const,
        id: r.id,
        areaCode: r.area,
        status: r.status,
        urgency: null,
        due: null,
        overdue: false,
        since: iso(r.sort_at),
      })),
    ];
    return { items };
  }
}

export interface WorklistItem {
  readonly kind: 'case' | 'placement' | 'prevention';
  readonly id: string;
  readonly areaCode: string;
  readonly status: string;
  readonly urgency: string | null;
  readonly due: string | null;
  readonly overdue: boolean;
  readonly since: string | null;
}
