import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import { MILESTONES, PLACEMENT_STATUSES, type PlacementStatus } from '@jejak/placement';
import { FLAGS, OUTCOMES, PREVENTION_STATUSES, type PreventionStatus, SOURCES } from '@jejak/prevention';
import { placementsPage, preventionsPage, worklist, type WorklistItem } from '@jejak/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

import { DateField } from '../http/dates';
import { CONFIG, SQL_CLIENT } from '../tokens';
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

export class PlacementListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES)
  status?: PlacementStatus;

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

  @ApiPropertyOptional({ enum: PREVENTION_STATUSES })
  @IsOptional()
  @IsIn(PREVENTION_STATUSES)
  status?: PreventionStatus;

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

/** The lists and the worklist for a caller (the queries are in @jejak/read-models). */
@Injectable()
export class Lists {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: JejakConfig,
  ) {}

  async placements(query: PlacementListQuery, actor: Actor) {
    return placementsPage(this.db, await this.readModels.table('placements'), query, actor);
  }

  async preventions(query: PreventionListQuery, actor: Actor) {
    return preventionsPage(this.db, await this.readModels.table('preventions'), query, actor, this.config.timeZone);
  }

  /** An officer's open work across the three workflows, within their territory (see `worklist`). */
  async worklist(actor: Actor, now: Date): Promise<{ items: WorklistItem[] }> {
    const [cases, placements, preventions] = await Promise.all([
      this.readModels.table('cases'),
      this.readModels.table('placements'),
      this.readModels.table('preventions'),
    ]);
    return worklist(this.db, { cases, placements, preventions }, actor, now);
  }
}
