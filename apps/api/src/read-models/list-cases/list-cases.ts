import { CASE_STATUSES, type CaseStatus, CATEGORIES, isSensitiveCategory, URGENCIES } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import type { Actor, RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type CaseListItem, casesPage } from '@jejak/read-models';
import { Controller, Get, Headers, Inject, Injectable, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { statisticsNames } from '../../http/free-text';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { CONFIG, SQL_CLIENT, VAULT } from '../../tokens';
import { PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class CaseListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

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

/** Pages of the case list, newest first, always within the caller's territory (the query: casesPage). */
@Injectable()
export class CasesList {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: JejakConfig,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async page(query: CaseListQuery, actor: Actor, now: Date): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const { category, ...filter } = query;
    // A health or trafficking category is listed under its token (cases recorded before it was sealed, by name).
    const named = category
      ? { name: category, ...(isSensitiveCategory(category) ? { token: this.vault.statisticsToken('category', category) } : {}) }
      : undefined;
    // The list is the caller's territory: health and trafficking categories are named for them.
    const names = statisticsNames(this.vault);
    return this.readModels.withTable('cases', (table) =>
      casesPage(
        this.db,
        table,
        { ...filter, ...(named ? { category: named } : {}) },
        actor,
        now,
        this.config.timeZone,
        (key) => names.get(key) ?? key,
      ),
    );
  }
}

// Lists filter by the caller's territory themselves: every row is in scope by construction.
@ApiTags('cases')
@ApiAuthenticated()
@Controller('cases')
export class CaseListController {
  constructor(
    private readonly list: CasesList,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: '`{ items, nextCursor }`: cases within your territory, newest first; `X-Min-Position` waits for your own writes',
  })
  @ApiProblems(400, 503)
  async cases(
    @Query() query: CaseListQuery,
    @Ctx() context: RequestContext,
    @Headers('x-min-position') min: string | undefined,
  ): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    await this.readModels.awaitPosition('cases', minPosition(min));
    return this.list.page(query, context.actor!, context.now);
  }
}
