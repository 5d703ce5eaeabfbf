import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import {
  communitiesPage,
  type CommunityFilter,
  type EnterpriseFilter,
  enterprisePage,
  type InformationFilter,
  informationPage,
  type InformationSummary,
  type KurFilter,
  kurPage,
  type PlacementFilter,
  placementsPage,
  type PreventionFilter,
  preventionsPage,
  worklist,
  type WorklistItem,
} from '@jejak/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

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

/** The lists and the worklist for a caller (the queries are in @jejak/read-models). */
@Injectable()
export class Lists {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: JejakConfig,
  ) {}

  async placements(query: PlacementFilter, actor: Actor) {
    return this.readModels.withTable('placements', (table) => placementsPage(this.db, table, query, actor));
  }

  async preventions(query: PreventionFilter, actor: Actor) {
    return this.readModels.withTable('preventions', (table) => preventionsPage(this.db, table, query, actor, this.config.timeZone));
  }

  async communities(query: CommunityFilter, actor: Actor) {
    return this.readModels.withTable('communities', (table) => communitiesPage(this.db, table, query, actor));
  }

  async enterprise(kind: 'business' | 'group' | 'consultation', query: EnterpriseFilter, actor: Actor) {
    return this.readModels.withTable('enterprise', (table) => enterprisePage(this.db, table, kind, query, actor));
  }

  async kur(query: KurFilter, actor: Actor) {
    return this.readModels.withTable('kur', (table) => kurPage(this.db, table, query, actor));
  }

  async information(kind: InformationSummary['kind'], query: InformationFilter, actor: Actor) {
    return this.readModels.withTable('information', (table) => informationPage(this.db, table, kind, query, actor));
  }

  /** An officer's open work across the three workflows, within their territory (see `worklist`). */
  async worklist(actor: Actor, now: Date): Promise<{ items: WorklistItem[] }> {
    return this.readModels.withTables(['cases', 'placements', 'preventions'], ([cases, placements, preventions]) =>
      worklist(this.db, { cases: cases!, placements: placements!, preventions: preventions! }, actor, now),
    );
  }
}
