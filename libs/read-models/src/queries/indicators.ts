/**
 * The program's indicators per area and month, from the read models' daily and monthly sums: placements
 * registered (by stage reached) and departures; cases opened, resolved and closed, by category,
 * destination and procedural or not, the median days to resolution, and those overdue now; prevention
 * reports, confirmed, redirected, departed anyway, passport deferrals requested. Months are counted in the
 * deployment's time zone. Each figure is defined once, in FIGURES.
 */
import type { SqlClient } from '@jejak/event-store';

import { FIGURES } from '../figures';
import { localDayIn } from '../local-day';
import type { Metric } from '../metrics';
import type { ReadModelTables } from './lists';

/** The tables the report sums: the three workflows', and those of information services and communities. */
export interface IndicatorTables extends ReadModelTables {
  readonly information: string;
  readonly communities: string;
  readonly enterprise: string;
  readonly kur: string;
}

/** The digits of an administrative code at each level: rows are grouped by that prefix. */
export const LEVELS = { national: 0, province: 2, regency: 4, district: 6, village: 10 } as const;
export type Level = keyof typeof LEVELS;

/** What a report covers: grouped by level, under an area code (none: the whole country), over days. */
export interface IndicatorRequest {
  readonly level: Level;
  readonly code?: string;
  readonly from: string;
  readonly to: string;
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
    byChannel: Record<string, number>;
    bySex: Record<string, number>;
    procedural: Record<string, number>;
    referralsUnanswered: number;
  };
  preventions: {
    reported: number;
    confirmed: number;
    redirectedToLegalPlacement: number;
    departedAnyway: number;
    passportDeferralsRequested: number;
    byIntervention: Record<string, number>;
  };
  information: {
    sessions: number;
    peopleReached: number;
    sessionsByTopic: Record<string, number>;
    enquiries: number;
    enquiriesAnswered: number;
    enquiriesReferred: number;
    enquiriesByChannel: Record<string, number>;
    referredTo: Record<string, number>;
  };
  communities: { formed: number; membersJoined: number; membersLeft: number; joinedByRelation: Record<string, number> };
  enterprise: {
    businessesStarted: number;
    startedBySector: Record<string, number>;
    businessesClosed: number;
    businessesActive: number;
    turnover: number;
    medianTurnover: number | null;
    employed: number;
    groupsFormed: number;
    cooperatives: number;
    consultations: number;
    consultationsByAgency: Record<string, number>;
  };
  kur: {
    applications: number;
    approvals: number;
    refusals: number;
    disbursements: number;
    amountRequested: number;
    amountApproved: number;
    amountDisbursed: number;
  };
  /** The items behind the counts. */
  links: {
    cases: string;
    placements: string;
    preventions: string;
    sessions: string;
    enquiries: string;
    communities: string;
    businesses: string;
    groups: string;
    kur: string;
    kurDisbursed: string;
    consultations: string;
  };
}

export async function indicatorRows(
  db: SqlClient,
  tables: IndicatorTables,
  query: IndicatorRequest,
  now: Date,
  timeZone: string,
  nameOf: (key: string) => string,
): Promise<IndicatorRow[]> {
  const { cases, placements, preventions, information, communities, enterprise, kur } = tables;
  const code = query.code ?? '';
  const len = LEVELS[query.level];
  // Whole months come from the monthly sums; the days before the first whole month and after the last
  // one from the daily sums. Nothing is dated after today, so a range that reaches today takes this
  // month whole.
  const today = localDayIn(timeZone)(now.toISOString());
  const { fullFrom, fullUntil } = wholeMonths(query.from, query.to >= today ? lastDayOfMonth(today) : query.to);
  const utcMonth = now.toISOString().slice(0, 7);
  const parts = [cases, placements, preventions, information, communities, enterprise, kur].flatMap((table) => [
    `select area, month as period, metric, key, n from ${table}_monthly where starts_with(area, $1) and month >= $2::date and month < $3::date`,
    `select area, date_trunc('month', day)::date, metric, key, n from ${table}_daily
      where starts_with(area, $1)
        and ((day >= $4::date and day < least($2::date, $5::date + 1)) or (day >= greatest($3::date, $4::date) and day <= $5::date))`,
  ]);
  const area = len === 0 ? `''` : `substr(area, 1, ${len})`;
  const facts = await db.query<{ area: string; period: string; metric: string; key: string; n: string }>(
    `select ${area} as area, to_char(period, 'YYYY-MM') as period, metric,
            case when metric = 'cases.pending_due' then '' else key end as key, sum(n)::text as n
       from (${parts.join(' union all ')}) f
      where metric <> 'cases.pending_due' or key < $6
      group by 1, 2, 3, 4`,
    [code, fullFrom, fullUntil, query.from, query.to, utcMonth],
  );
  // Deadlines that fall this month (UTC) are exact to the instant, from the documents.
  const tz = timeZone;
  const dueToday = await db.query<{ area: string; period: string; n: string }>(
    `select ${area} as area, to_char(opened_at at time zone $5, 'YYYY-MM') as period, count(*)::text as n from ${cases}
      where pending_due >= ($2 || '-01')::date::timestamp at time zone 'UTC' and pending_due < $6::timestamptz and starts_with(area, $1)
        and (opened_at at time zone $5)::date >= $3::date and (opened_at at time zone $5)::date <= $4::date
      group by 1, 2`,
    [code, utcMonth, query.from, query.to, tz, now.toISOString()],
  );

  const rows = new Map<string, IndicatorRow>();
  const row = (a: string, p: string): IndicatorRow => {
    const key = `${a}|${p}`;
    if (!rows.has(key)) rows.set(key, emptyRow(a, p, query, len));
    return rows.get(key)!;
  };
  const resolutionDays = new Map<IndicatorRow, [number, number][]>();
  const turnovers = new Map<IndicatorRow, [number, number][]>();
  // Health and trafficking categories and the worker's sex are counted under keyed tokens: named here.
  const add = (into: Record<string, number>, key: string, n: number) => {
    const name = nameOf(key);
    into[name] = (into[name] ?? 0) + n;
  };
  for (const f of facts) {
    const r = row(f.area, f.period);
    const n = Number(f.n);
    const metric = f.metric as Metric;
    switch (metric) {
      case 'cases.opened':
        r.cases.opened = n;
        break;
      case 'cases.resolved':
        r.cases.resolved = n;
        break;
      case 'cases.closed':
        r.cases.closed = n;
        break;
      case 'cases.pending_due':
        r.cases.overdueNow += n;
        break;
      case 'cases.category':
        add(r.cases.byCategory, f.key, n);
        break;
      case 'cases.sex':
        add(r.cases.bySex, f.key, n);
        break;
      case 'cases.destination':
        r.cases.byDestination[f.key] = n;
        break;
      case 'cases.channel':
        r.cases.byChannel[f.key] = n;
        break;
      case 'cases.referrals_unanswered':
        r.cases.referralsUnanswered = n;
        break;
      case 'preventions.intervention':
        r.preventions.byIntervention[f.key] = n;
        break;
      case 'cases.procedural':
        r.cases.procedural[f.key] = n;
        break;
      case 'cases.resolution_days':
        resolutionDays.set(r, [...(resolutionDays.get(r) ?? []), [Number(f.key), n]]);
        break;
      case 'placements.registered':
        r.placements.registered += n;
        r.placements.byStage[f.key] = n;
        break;
      case 'placements.departed':
        r.placements.departed = n;
        break;
      case 'preventions.reported':
        r.preventions.reported = n;
        break;
      case 'preventions.confirmed':
        r.preventions.confirmed = n;
        break;
      case 'preventions.redirected':
        r.preventions.redirectedToLegalPlacement = n;
        break;
      case 'preventions.departed_anyway':
        r.preventions.departedAnyway = n;
        break;
      case 'preventions.passport_deferrals':
        r.preventions.passportDeferralsRequested = n;
        break;
      case 'information.sessions':
        r.information.sessions = n;
        break;
      case 'information.people_reached':
        r.information.peopleReached = n;
        break;
      case 'information.session_topic':
        r.information.sessionsByTopic[f.key] = n;
        break;
      case 'information.enquiries':
        r.information.enquiries += n;
        r.information.enquiriesByChannel[f.key] = n;
        break;
      case 'information.referred':
        r.information.enquiriesReferred += n;
        r.information.referredTo[f.key] = n;
        break;
      case 'communities.formed':
        r.communities.formed = n;
        break;
      case 'members.joined':
        r.communities.membersJoined += n;
        r.communities.joinedByRelation[f.key] = n;
        break;
      case 'members.left':
        r.communities.membersLeft = n;
        break;
      case 'enterprise.businesses_started':
        r.enterprise.businessesStarted += n;
        r.enterprise.startedBySector[f.key] = n;
        break;
      case 'enterprise.businesses_closed':
        r.enterprise.businessesClosed = n;
        break;
      case 'enterprise.businesses_reporting':
        r.enterprise.businessesActive = n;
        break;
      case 'enterprise.turnover':
        r.enterprise.turnover = n;
        break;
      case 'enterprise.turnover_values':
        turnovers.set(r, [...(turnovers.get(r) ?? []), [Number(f.key), n]]);
        break;
      case 'enterprise.employed':
        r.enterprise.employed = n;
        break;
      case 'enterprise.groups_formed':
        r.enterprise.groupsFormed = n;
        break;
      case 'enterprise.cooperatives':
        r.enterprise.cooperatives = n;
        break;
      case 'enterprise.consultations':
        r.enterprise.consultations += n;
        r.enterprise.consultationsByAgency[f.key] = n;
        break;
      case 'kur.applied':
        r.kur.applications = n;
        break;
      case 'kur.approved':
        r.kur.approvals = n;
        break;
      case 'kur.refused':
        r.kur.refusals = n;
        break;
      case 'kur.disbursed':
        r.kur.disbursements = n;
        break;
      case 'kur.amount_requested':
        r.kur.amountRequested = n;
        break;
      case 'kur.amount_approved':
        r.kur.amountApproved = n;
        break;
      case 'kur.amount_disbursed':
        r.kur.amountDisbursed = n;
        break;
      default: {
        // Every metric the projections write is read above: a new one fails to compile here until it is.
        const unread: never = metric;
        throw new Error(`A metric no report reads: ${String(unread)}`);
      }
    }
  }
  for (const d of dueToday) row(d.area, d.period).cases.overdueNow += Number(d.n);
  for (const [r, histogram] of resolutionDays) r.cases.medianDaysToResolution = median(histogram);
  for (const [r, histogram] of turnovers) r.enterprise.medianTurnover = median(histogram);
  for (const r of rows.values()) r.information.enquiriesAnswered = r.information.enquiries - r.information.enquiriesReferred;
  return [...rows.values()].sort((a, b) => `${a.area}|${a.period}`.localeCompare(`${b.area}|${b.period}`));
}

function lastDayOfMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The whole calendar months inside [from, to]: from fullFrom (inclusive) to fullUntil (exclusive). */
export function wholeMonths(from: string, to: string): { fullFrom: string; fullUntil: string } {
  const firstOfNext = (date: string) => {
    const [y, m] = date.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  };
  const fullFrom = from.endsWith('-01') ? from : firstOfNext(from);
  const dayAfterTo = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const fullUntil = dayAfterTo.endsWith('-01') ? dayAfterTo : `${to.slice(0, 7)}-01`;
  return fullUntil > fullFrom ? { fullFrom, fullUntil } : { fullFrom, fullUntil: fullFrom };
}

/** The median of a histogram of [value, count] pairs: the middle value, or the mean of the two middle ones. */
export function median(histogram: readonly (readonly [number, number])[]): number | null {
  const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (index < seen) return value;
    }
    return sorted[sorted.length - 1]![0];
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

function emptyRow(area: string, period: string, query: IndicatorRequest, len: number): IndicatorRow {
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
    cases: {
      opened: 0,
      resolved: 0,
      closed: 0,
      overdueNow: 0,
      medianDaysToResolution: null,
      byCategory: {},
      byDestination: {},
      byChannel: {},
      bySex: {},
      procedural: {},
      referralsUnanswered: 0,
    },
    preventions: {
      reported: 0,
      confirmed: 0,
      redirectedToLegalPlacement: 0,
      departedAnyway: 0,
      passportDeferralsRequested: 0,
      byIntervention: {},
    },
    information: {
      sessions: 0,
      peopleReached: 0,
      sessionsByTopic: {},
      enquiries: 0,
      enquiriesAnswered: 0,
      enquiriesReferred: 0,
      enquiriesByChannel: {},
      referredTo: {},
    },
    communities: { formed: 0, membersJoined: 0, membersLeft: 0, joinedByRelation: {} },
    enterprise: {
      businessesStarted: 0,
      startedBySector: {},
      businessesClosed: 0,
      businessesActive: 0,
      turnover: 0,
      medianTurnover: null,
      employed: 0,
      groupsFormed: 0,
      cooperatives: 0,
      consultations: 0,
      consultationsByAgency: {},
    },
    kur: { applications: 0, approvals: 0, refusals: 0, disbursements: 0, amountRequested: 0, amountApproved: 0, amountDisbursed: 0 },
    links: {
      cases: `/cases?openedFrom=${from}&openedTo=${to}${areaParam}`,
      // Each lists what its row counts: registrations by the day registered, reports by the day reported.
      placements: `/placements?registeredFrom=${from}&registeredTo=${to}${areaParam}`,
      preventions: `/preventions?reportedFrom=${from}&reportedTo=${to}${areaParam}`,
      sessions: `/sessions?heldFrom=${from}&heldTo=${to}${areaParam}`,
      enquiries: `/enquiries?receivedFrom=${from}&receivedTo=${to}${areaParam}`,
      communities: `/communities?formedFrom=${from}&formedTo=${to}${areaParam}`,
      businesses: `/businesses?startedFrom=${from}&startedTo=${to}${areaParam}`,
      groups: `/business-groups?formedFrom=${from}&formedTo=${to}${areaParam}`,
      kur: `/kur?appliedFrom=${from}&appliedTo=${to}${areaParam}`,
      kurDisbursed: `/kur?disbursedFrom=${from}&disbursedTo=${to}${areaParam}`,
      consultations: `/consultations?heldFrom=${from}&heldTo=${to}${areaParam}`,
    },
  };
}

const valueAt = (row: IndicatorRow, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], row);

/** The rows as CSV: one line per area and month, breakdowns as `category:<name>` style columns. */
export function indicatorsCsv(rows: readonly IndicatorRow[]): string {
  const breakdowns = (pick: (r: IndicatorRow) => Record<string, number>, prefix: string) =>
    [...new Set(rows.flatMap((r) => Object.keys(pick(r))))]
      .sort()
      .map((k) => ({ header: `${prefix}:${k}`, get: (r: IndicatorRow) => pick(r)[k] ?? 0 }));
  const columns: { header: string; get: (r: IndicatorRow) => string | number | null }[] = [
    { header: 'area', get: (r) => r.area },
    { header: 'period', get: (r) => r.period },
    // Every single figure of the catalog, in its order, under its CSV name.
    ...FIGURES.filter((f) => !f.breakdown).map((f) => ({ header: f.csv, get: (r: IndicatorRow) => valueAt(r, f.key) as number | null })),
    ...breakdowns((r) => r.placements.byStage, 'stage'),
    ...breakdowns((r) => r.cases.byCategory, 'category'),
    ...breakdowns((r) => r.cases.byDestination, 'destination'),
    ...breakdowns((r) => r.cases.byChannel, 'channel'),
    ...breakdowns((r) => r.cases.bySex, 'sex'),
    ...breakdowns((r) => r.cases.procedural, 'procedural'),
    ...breakdowns((r) => r.preventions.byIntervention, 'intervention'),
    ...breakdowns((r) => r.information.sessionsByTopic, 'topic'),
    ...breakdowns((r) => r.information.enquiriesByChannel, 'enquiry_channel'),
    ...breakdowns((r) => r.information.referredTo, 'referred_to'),
    ...breakdowns((r) => r.communities.joinedByRelation, 'joined_as'),
    ...breakdowns((r) => r.enterprise.startedBySector, 'sector'),
    ...breakdowns((r) => r.enterprise.consultationsByAgency, 'consulted'),
  ];
  const cell = (v: string | number | null) =>
    v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  return [columns.map((c) => c.header).join(','), ...rows.map((r) => columns.map((c) => cell(c.get(r))).join(','))].join('\n') + '\n';
}
