import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import { type Actor, JejakError, type RequestContext, scopeCovers } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { figuresMarkdown, type IndicatorRow, indicatorRows, indicatorsCsv, type Level, LEVELS } from '@jejak/read-models';
import { Controller, Get, Headers, Inject, Injectable, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { statisticsNames } from '../../http/free-text';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { ValidationFailed } from '../../http/problem';
import { CONFIG, SQL_CLIENT, VAULT } from '../../tokens';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

/** How long a report over unchanged read models is served again. */
export const CACHE_MS = 5_000;

/** The projections whose sums the report reads. */
const INDICATOR_PROJECTIONS = ['cases', 'placements', 'preventions', 'information', 'communities', 'enterprise', 'kur'] as const;

export class IndicatorQuery {
  @ApiProperty({ enum: Object.keys(LEVELS), description: 'the areas rows are grouped by' })
  @IsIn(Object.keys(LEVELS))
  level!: Level;

  @ApiPropertyOptional({ example: '32', description: 'only areas under this administrative code (2, 4, 6 or 10 digits)' })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'must be a 2, 4, 6 or 10-digit administrative code' })
  code?: string;

  @DateField({ example: '2026-01-01' })
  from!: string;

  @DateField({ example: '2026-12-31' })
  to!: string;

  @ApiPropertyOptional({ enum: ['month'], default: 'month' })
  @IsOptional()
  @IsIn(['month'])
  interval?: 'month';
}

export class OutOfScope extends JejakError {
  readonly code = 'OUT_OF_SCOPE';
  readonly kind = 'forbidden' as const;
}

/**
 * The program's indicators per area and month for a caller: the request checked, the area inside their
 * territory, and one computation (indicatorRows in @jejak/read-models) shared by concurrent askers.
 */
@Injectable()
export class Indicators {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly readModels: ReadModels,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  private readonly cache = new Map<string, { at: number; rows: Promise<IndicatorRow[]> }>();

  async report(query: IndicatorQuery, actor: Actor, now: Date): Promise<IndicatorRow[]> {
    if (query.from > query.to) throw new ValidationFailed([{ field: 'from', message: 'must not be after to' }]);
    const code = query.code ?? '';
    if (code.length > LEVELS[query.level] && query.level !== 'national') {
      throw new ValidationFailed([{ field: 'code', message: `must not be finer than the ${query.level} level` }]);
    }
    // The whole requested area must be inside the caller's territory.
    const within = actor.scopes.some((s) => s.level === 'national' || (code.length >= s.code.length && scopeCovers(s, code)));
    if (!within) throw new OutOfScope('The requested area is outside your territorial scope');

    // The same report over unchanged read models is computed once: concurrent askers share it, and it is
    // served again for a few seconds (what moves without a write is "overdue now", as deadlines pass).
    const key = JSON.stringify([query.level, code, query.from, query.to, await this.readModels.version(...INDICATOR_PROJECTIONS)]);
    const cached = this.cache.get(key);
    if (cached && now.getTime() - cached.at < CACHE_MS) return cached.rows;
    const rows = this.compute(query, now);
    this.cache.set(key, { at: now.getTime(), rows });
    rows.catch(() => this.cache.delete(key));
    for (const [k, v] of this.cache) if (this.cache.size > 100 || now.getTime() - v.at >= CACHE_MS) this.cache.delete(k);
    return rows;
  }

  private async compute(query: IndicatorQuery, now: Date): Promise<IndicatorRow[]> {
    // Health and trafficking categories and the worker's sex are counted under keyed tokens: named here.
    const names = statisticsNames(this.vault);
    return this.readModels.withTables(INDICATOR_PROJECTIONS, (all) => {
      const [cases, placements, preventions, information, communities, enterprise, kur] = all as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const tables = { cases, placements, preventions, information, communities, enterprise, kur };
      return indicatorRows(this.db, tables, query, now, this.config.timeZone, (key) => names.get(key) ?? key);
    });
  }
}

@ApiTags('reports')
@ApiAuthenticated()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly indicators: Indicators,
    private readonly readModels: ReadModels,
  ) {}

  @Get('indicators')
  // Aggregates, checked against the caller's territory by the report itself (the area is a query parameter).
  @Allow(['supervisor', 'auditor'])
  @ApiOkResponse({
    description: `Rows per area and month with drill-down links; \`Accept: text/csv\` for CSV. Months and days are in the deployment's time zone. Each figure counts:\n\n${figuresMarkdown()}`,
  })
  @ApiProblems(400, 403)
  async report(
    @Query() query: IndicatorQuery,
    @Ctx() context: RequestContext,
    @Headers('accept') accept: string | undefined,
    @Headers('x-min-position') min: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const position = minPosition(min);
    // Read-your-writes for every projection the report sums, not only the advocacy ones.
    for (const name of INDICATOR_PROJECTIONS) await this.readModels.awaitPosition(name, position);
    const rows = await this.indicators.report(query, context.actor!, context.now);
    if (accept && /text\/csv/.test(accept)) {
      response.type('text/csv');
      response.setHeader(
        'Content-Disposition',
        `attachment; filename="indicators-${query.level}-${query.code ?? 'national'}-${query.from}-${query.to}.csv"`,
      );
      return indicatorsCsv(rows);
    }
    return { rows };
  }
}
