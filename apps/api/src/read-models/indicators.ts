import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import { type Actor, JejakError, scopeCovers } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type IndicatorRow, indicatorRows, type Level, LEVELS } from '@jejak/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

import { DateField } from '../http/dates';
import { statisticsNames } from '../http/free-text';
import { ValidationFailed } from '../http/problem';
import { CONFIG, SQL_CLIENT, VAULT } from '../tokens';
import { ReadModels } from './read-models.service';

/** How long a report over unchanged read models is served again. */
const CACHE_MS = 5_000;

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

class OutOfScope extends JejakError {
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
    const key = JSON.stringify([
      query.level,
      code,
      query.from,
      query.to,
      await this.readModels.version('cases', 'placements', 'preventions'),
    ]);
    const cached = this.cache.get(key);
    if (cached && now.getTime() - cached.at < CACHE_MS) return cached.rows;
    const rows = this.compute(query, now);
    this.cache.set(key, { at: now.getTime(), rows });
    rows.catch(() => this.cache.delete(key));
    for (const [k, v] of this.cache) if (this.cache.size > 100 || now.getTime() - v.at >= CACHE_MS) this.cache.delete(k);
    return rows;
  }

  private async compute(query: IndicatorQuery, now: Date): Promise<IndicatorRow[]> {
    const [cases, placements, preventions] = await Promise.all([
      this.readModels.table('cases'),
      this.readModels.table('placements'),
      this.readModels.table('preventions'),
    ]);
    // Health and trafficking categories and the worker's sex are counted under keyed tokens: named here.
    const names = statisticsNames(this.vault);
    return indicatorRows(this.db, { cases, placements, preventions }, query, now, this.config.timeZone, (key) => names.get(key) ?? key);
  }
}
