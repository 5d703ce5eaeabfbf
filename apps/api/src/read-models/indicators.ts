import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { JejakConfig } from '@jejak/config';
import type { SqlClient } from '@jejak/event-store';
import { JejakError, scopeCovers, type Actor } from '@jejak/kernel';
import { ValidationFailed } from '../http/problem';
import { CONFIG, SQL_CLIENT } from '../tokens';
import { ReadModels } from './read-models.service';

const LEVELS = { national: 0, province: 2, regency: 4, district: 6, village: 10 } as const;
type Level = keyof typeof LEVELS;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class IndicatorQuery {
  @ApiProperty({ enum: Object.keys(LEVELS), description: 'the areas rows are grouped by' })
  @IsIn(Object.keys(LEVELS))
  level!: Level;

  @ApiPropertyOptional({ example: '32', description: 'only areas under this administrative code (2, 4, 6 or 10 digits)' })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'must be a 2, 4, 6 or 10-digit administrative code' })
  code?: string;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, { message: 'must be a date like 2026-01-01' })
  from!: string;

  @ApiProperty({ example: '2026-12-31' })
  @Matches(DATE, { message: 'must be a date like 2026-12-31' })
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

/** One area and month. Built up field by field from the counting queries, hence not readonly. */
export interface IndicatorRow {
  area: string;
  period: string;
  placements: { registered: number; departed: number; byStage: Record<string, number> };
  cases: {
    opened: number;
    resolved: number;
    closed: number;
    overdueNow: number;
    medianDaysToResolution: number | null;
    byCategory: Record<string, number>;
    byDestination: Record<string, number>;
    procedural: Record<string, number>;
  };
  preventions: {
    reported: number;
    confirmed: number;
    redirectedToLegalPlacement: number;
    departedAnyway: number;
    passportDeferralsRequested: number;
  };
  /** The items behind the counts. */
  links: { cases: string; placements: string; preventions: string };
}

/**
 * The program's indicators per area and month, from the read models: placements registered (by stage
 * reached) and departures; cases opened, resolved and closed, by category, destination and procedural or
 * not, the median days to resolution, and those overdue now; prevention reports, confirmed, redirected,
 * departed anyway, passport deferrals requested. Months are counted in JEJAK_TIMEZONE.
 */
@Injectable()
export class Indicators {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly readModels: ReadModels,
  ) {}

  async report(query: IndicatorQuery, actor: Actor, now = new Date()): Promise<IndicatorRow[]> {
    if (query.from > query.to) throw new ValidationFailed([{ field: 'from', message: 'must not be after to' }]);
    const code = query.code ?? '';
    if (code.length > LEVELS[query.level] && query.level !== 'national') {
      throw new ValidationFailed([{ field: 'code', message: `must not be finer than the ${query.level} level` }]);
    }
    // The whole requested area must be inside the caller's territory.
    const within = actor.scopes.some((s) => s.level === 'national' || (code.length >= s.code.length && scopeCovers(s, code)));
    if (!within) throw new OutOfScope('The requested area is outside your territorial scope');

    const len = LEVELS[query.level];
    const area = len === 0 ? `''` : `substr(area, 1, ${len})`;
    const tz = this.config.timeZone;
    const month = (column: string) => `to_char(date_trunc('month', (${column}) at time zone :tz), 'YYYY-MM')`;
    const inPeriod = (column: string) => `(${column}) at time zone :tz >= :from::date and (${column}) at time zone :tz < (:to::date + 1)`;
    const named: Record<string, unknown> = { from: query.from, to: query.to, tz, code, now: now.toISOString() };
    // Named parameters, bound per query to exactly those it uses: PostgreSQL refuses unused ones.
    const bind = (sql: string): [string, unknown[]] => {
      const order: string[] = [];
      const text = sql.replace(/:(from|to|tz|code|now)\b/g, (_m, name: string) => {
        if (!order.includes(name)) order.push(name);
        return `$${order.indexOf(name) + 1}`;
      });
      return [text, order.map((name) => named[name])];
    };
    const [cases, placements, preventions] = await Promise.all([
      this.readModels.table('cases'),
      this.readModels.table('placements'),
      this.readModels.table('preventions'),
    ]);
    const rows = new Map<string, IndicatorRow>();
    const row = (a: string, p: string): IndicatorRow => {
      const key = `${a}|${p}`;
      if (!rows.has(key)) rows.set(key, emptyRow(a, p, query, len));
      return rows.get(key)!;
    };
    type Counted = { area: string; period: string; key: string | null; n: string };
    const counts = async (sql: string, apply: (r: Counted) => void) => {
      const [text, values] = bind(sql);
      for (const r of await this.db.query<Counted>(text, values)) apply(r);
    };
    const base = `starts_with(area, :code)`;

    await counts(
      `select ${area} as area, ${month('opened_at')} as period, null as key, count(*)::text as n from ${cases}
        where ${base} and ${inPeriod('opened_at')} group by 1, 2`,
      (r) => void (row(r.area, r.period).cases.opened = Number(r.n)),
    );
    for (const [field, column] of [['resolved', "(doc->>'resolvedAt')::timestamptz"], ['closed', "(doc->>'closedAt')::timestamptz"]] as const) {
      await counts(
        `select ${area} as area, ${month(column)} as period, null as key, count(*)::text as n from ${cases}
          where ${base} and ${column} is not null and ${inPeriod(column)} group by 1, 2`,
        (r) => void (row(r.area, r.period).cases[field] = Number(r.n)),
      );
    }
    await counts(
      `select ${area} as area, ${month("(doc->>'resolvedAt')::timestamptz")} as period, null as key,
              round((percentile_cont(0.5) within group (order by extract(epoch from (doc->>'resolvedAt')::timestamptz - opened_at) / 86400))::numeric, 1)::text as n
         from ${cases}
        where ${base} and doc->>'resolvedAt' is not null and ${inPeriod("(doc->>'resolvedAt')::timestamptz")} group by 1, 2`,
      (r) => void (row(r.area, r.period).cases.medianDaysToResolution = Number(r.n)),
    );
    for (const [field, expression] of [
      ['byCategory', 'unnest(categories)'],
      ['byDestination', "doc->>'destinationCountry'"],
      ['procedural', "coalesce(doc->>'procedural', 'unverified')"],
    ] as const) {
      await counts(
        `select area, period, key, count(*)::text as n from (
           select ${area} as area, ${month('opened_at')} as period, ${expression} as key from ${cases} where ${base} and ${inPeriod('opened_at')}
         ) t group by 1, 2, 3`,
        (r) => void (row(r.area, r.period).cases[field][r.key!] = Number(r.n)),
      );
    }
    // Overdue now, counted in the period the case was opened.
    await counts(
      `select ${area} as area, ${month('opened_at')} as period, null as key, count(*)::text as n from ${cases}
        where ${base} and ${inPeriod('opened_at')}
          and ((first_action_at is null and first_action_due < (:now)::timestamptz) or (resolved_at is null and status <> 'closed' and resolution_due < (:now)::timestamptz))
        group by 1, 2`,
      (r) => void (row(r.area, r.period).cases.overdueNow = Number(r.n)),
    );

    await counts(
      `select ${area} as area, ${month('sort_at')} as period, stage as key, count(*)::text as n from ${placements}
        where ${base} and ${inPeriod('sort_at')} group by 1, 2, 3`,
      (r) => {
        const p = row(r.area, r.period).placements;
        p.registered += Number(r.n);
        p.byStage[r.key!] = Number(r.n);
      },
    );
    await counts(
      `select ${area} as area, to_char(date_trunc('month', (doc->'milestones'->>'departed')::date), 'YYYY-MM') as period, null as key, count(*)::text as n
         from ${placements}
        where ${base} and doc->'milestones'->>'departed' is not null
          and (doc->'milestones'->>'departed')::date >= :from::date and (doc->'milestones'->>'departed')::date <= :to::date
        group by 1, 2`,
      (r) => void (row(r.area, r.period).placements.departed = Number(r.n)),
    );

    await counts(
      `select ${area} as area, ${month('sort_at')} as period, null as key,
              count(*)::text || ',' || count(*) filter (where jsonb_array_length(doc->'confirmedFlags') > 0 and status <> 'dismissed')::text || ','
              || count(*) filter (where outcome = 'redirected_to_legal_placement')::text || ','
              || count(*) filter (where outcome = 'departed_non_procedurally')::text || ','
              || coalesce(sum((select count(*) from jsonb_array_elements_text(doc->'interventions') k where k = 'passport_deferral_requested')), 0)::text as n
         from ${preventions}
        where ${base} and ${inPeriod('sort_at')} group by 1, 2`,
      (r) => {
        const [reported, confirmed, redirected, departed, deferrals] = r.n.split(',').map(Number) as [number, number, number, number, number];
        Object.assign(row(r.area, r.period).preventions, {
          reported,
          confirmed,
          redirectedToLegalPlacement: redirected,
          departedAnyway: departed,
          passportDeferralsRequested: deferrals,
        });
      },
    );
    return [...rows.values()].sort((a, b) => `${a.area}|${a.period}`.localeCompare(`${b.area}|${b.period}`));
  }
}

function emptyRow(area: string, period: string, query: IndicatorQuery, len: number): IndicatorRow {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const first = `${period}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const from = first < query.from ? query.from : first;
  const to = last > query.to ? query.to : last;
  const areaParam = len === 0 ? (query.code ? `&area=${query.code}` : '') : `&area=${area}`;
  return {
    area: len === 0 ? 'national' : area,
    period,
    placements: { registered: 0, departed: 0, byStage: {} },
    cases: { opened: 0, resolved: 0, closed: 0, overdueNow: 0, medianDaysToResolution: null, byCategory: {}, byDestination: {}, procedural: {} },
    preventions: { reported: 0, confirmed: 0, redirectedToLegalPlacement: 0, departedAnyway: 0, passportDeferralsRequested: 0 },
    links: {
      cases: `/cases?openedFrom=${from}&openedTo=${to}${areaParam}`,
      placements: `/placements?${areaParam.slice(1)}`,
      preventions: `/preventions?${areaParam.slice(1)}`,
    },
  };
}

/** The rows as CSV: one line per area and month, breakdowns as `category:<name>` style columns. */
export function indicatorsCsv(rows: readonly IndicatorRow[]): string {
  const breakdowns = (pick: (r: IndicatorRow) => Record<string, number>, prefix: string) =>
    [...new Set(rows.flatMap((r) => Object.keys(pick(r))))].sort().map((k) => ({ header: `${prefix}:${k}`, get: (r: IndicatorRow) => pick(r)[k] ?? 0 }));
  const columns: { header: string; get: (r: IndicatorRow) => string | number | null }[] = [
    { header: 'area', get: (r) => r.area },
    { header: 'period', get: (r) => r.period },
    { header: 'placements_registered', get: (r) => r.placements.registered },
    { header: 'placements_departed', get: (r) => r.placements.departed },
    { header: 'cases_opened', get: (r) => r.cases.opened },
    { header: 'cases_resolved', get: (r) => r.cases.resolved },
    { header: 'cases_closed', get: (r) => r.cases.closed },
    { header: 'cases_overdue_now', get: (r) => r.cases.overdueNow },
    { header: 'cases_median_days_to_resolution', get: (r) => r.cases.medianDaysToResolution },
    { header: 'preventions_reported', get: (r) => r.preventions.reported },
    { header: 'preventions_confirmed', get: (r) => r.preventions.confirmed },
    { header: 'preventions_redirected', get: (r) => r.preventions.redirectedToLegalPlacement },
    { header: 'preventions_departed_anyway', get: (r) => r.preventions.departedAnyway },
    { header: 'passport_deferrals_requested', get: (r) => r.preventions.passportDeferralsRequested },
    ...breakdowns((r) => r.cases.byCategory, 'category'),
    ...breakdowns((r) => r.cases.byDestination, 'destination'),
    ...breakdowns((r) => r.cases.procedural, 'procedural'),
  ];
  const cell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [columns.map((c) => c.header).join(','), ...rows.map((r) => columns.map((c) => cell(c.get(r))).join(','))].join('\n') + '\n';
}
