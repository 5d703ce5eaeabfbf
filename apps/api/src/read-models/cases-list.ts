import { CATEGORIES, isSensitiveCategory, URGENCIES } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type CaseSummary, overdueSql } from '@jejak/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

import { DateField } from '../http/dates';
import { statisticsNames } from '../http/free-text';
import { CONFIG, SQL_CLIENT, VAULT } from '../tokens';
import { ListQuery, parseDoc } from './list-query';
import { namesSubject, PageQuery } from './lists';
import { ReadModels } from './read-models.service';

export class CaseListQuery extends PageQuery {
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

  @ApiPropertyOptional({ description: 'only cases with a first action or resolution overdue now' })
  @IsOptional()
  // Query strings are text: "false" must mean false, not a truthy non-empty string.
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @DateField({ example: '2026-01-01', optional: true })
  openedFrom?: string;

  @DateField({ example: '2026-12-31', optional: true })
  openedTo?: string;
}

export type CaseListItem = Omit<CaseSummary, 'state' | 'sexToken'> & { readonly overdue: boolean };

/** Pages of the case list, newest first, always within the caller's territory. */
@Injectable()
export class CasesList {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: JejakConfig,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async page(query: CaseListQuery, actor: Actor, now: Date): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const list = new ListQuery('opened_at').territory(actor);
    const at = list.param(now.toISOString());
    const overdue = overdueSql(at);
    // Only when a day filter is asked for: an unused parameter is an error to PostgreSQL.
    const zone = () => list.param(this.config.timeZone);
    list
      .when(query.status, (p) => `status = ${p}`)
      // A health or trafficking category is listed under its token (cases recorded before it was sealed, by name).
      .when(query.category, (p) =>
        isSensitiveCategory(query.category!)
          ? `(${p} = any(categories) or ${list.param(this.vault.statisticsToken('category', query.category!))} = any(categories))`
          : `${p} = any(categories)`,
      )
      .when(query.urgency, (p) => `urgency = ${p}`)
      .when(query.assignedTo, (p) => `assigned_to = ${p}`)
      .when(query.area, (p) => `starts_with(area, ${p})`)
      .when(query.subject, namesSubject)
      // Days in the deployment's time zone, as the indicators count them: a drill-down lists what its row counted.
      .when(query.openedFrom, (p) => `opened_at >= (${p}::date)::timestamp at time zone ${zone()}`)
      .when(query.openedTo, (p) => `opened_at < (${p}::date + 1)::timestamp at time zone ${zone()}`);
    if (query.overdue !== undefined) list.raw(query.overdue ? overdue : `not ${overdue}`);
    const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: CaseSummary | string; overdue: boolean }>(
      this.db,
      await this.readModels.table('cases'),
      `doc, ${overdue} as overdue`,
      { limit: query.limit, cursor: query.cursor },
    );
    const names = statisticsNames(this.vault);
    const items = rows.map((row) => {
      const { state: _state, sexToken: _sex, ...summary } = parseDoc(row.doc);
      // The list is the caller's territory: health and trafficking categories are named for them.
      return { ...summary, categories: summary.categories.map((c) => names.get(c) ?? c), overdue: row.overdue };
    });
    return { items, nextCursor };
  }
}
