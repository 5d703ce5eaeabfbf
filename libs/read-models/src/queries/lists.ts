/**
 * The list and worklist queries over the read models, beside the projections whose tables and columns
 * they read. Every list is the caller's territory first (ListQuery.territory), then its filters, newest
 * first, a page at a time. Statuses come from the domain libraries, so a status renamed there fails here.
 */
import type { CaseStatus } from '@jejak/accompaniment';
import type { KurStatus } from '@jejak/enterprise';
import type { SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import type { PlacementStatus } from '@jejak/placement';
import type { PreventionStatus } from '@jejak/prevention';

import { CASE_OPEN_SQL, CASE_WORK_DUE_SQL, type CaseSummary, overdueSql } from '../projections/cases';
import type { CommunitySummary } from '../projections/communities';
import type { EnterpriseSummary } from '../projections/enterprise';
import type { InformationSummary } from '../projections/information';
import type { KurSummary } from '../projections/kur';
import { PLACEMENT_OPEN_SQL, type PlacementSummary } from '../projections/placements';
import { PREVENTION_OPEN_SQL, type PreventionSummary } from '../projections/preventions';
import { ListQuery, namesSubject, parseDoc } from './list-query';

/** What every list takes: an area prefix, a page size, the cursor of the previous page, a person named. */
export interface PageFilter {
  readonly area?: string;
  readonly limit?: number;
  readonly cursor?: string;
  readonly subject?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface PlacementFilter extends PageFilter {
  readonly status?: PlacementStatus;
  readonly stage?: string;
  readonly registeredFrom?: string;
  readonly registeredTo?: string;
}

export interface PreventionFilter extends PageFilter {
  readonly status?: PreventionStatus;
  readonly source?: string;
  readonly flag?: string;
  readonly outcome?: string;
  readonly reportedFrom?: string;
  readonly reportedTo?: string;
}

/** Sessions or enquiries by the day they happened (as recorded), and what they were about. */
export interface InformationFilter extends PageFilter {
  readonly from?: string;
  readonly to?: string;
  readonly topic?: string;
  readonly channel?: string;
  readonly outcome?: string;
  readonly referredTo?: string;
}

export interface CaseFilter extends PageFilter {
  readonly status?: CaseStatus;
  /** A category by name, and (for a health or trafficking one) the token it is counted under. */
  readonly category?: { readonly name: string; readonly token?: string };
  readonly urgency?: string;
  readonly assignedTo?: string;
  readonly overdue?: boolean;
  readonly openedFrom?: string;
  readonly openedTo?: string;
}

export type CaseListItem = Omit<CaseSummary, 'state' | 'sexToken'> & { readonly overdue: boolean };

/** The read-model tables the queries read, as the engine names their live generation. */
export interface ReadModelTables {
  readonly cases: string;
  readonly placements: string;
  readonly preventions: string;
}

const strip = <T extends { state: unknown }>(doc: T): Omit<T, 'state'> => {
  const { state: _state, ...rest } = doc;
  return rest;
};

export async function placementsPage(
  db: SqlClient,
  table: string,
  filter: PlacementFilter,
  actor: Actor,
): Promise<Page<Omit<PlacementSummary, 'state'>>> {
  const list = new ListQuery('sort_at')
    .territory(actor)
    .when(filter.status, (p) => `status = ${p}`)
    .when(filter.stage, (p) => `stage = ${p}`)
    .when(filter.registeredFrom, (p) => `registered_on >= ${p}`)
    .when(filter.registeredTo, (p) => `registered_on <= ${p}`)
    .when(filter.subject, namesSubject)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: PlacementSummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: rows.map((r) => strip(parseDoc(r.doc))), nextCursor };
}

export async function preventionsPage(
  db: SqlClient,
  table: string,
  filter: PreventionFilter,
  actor: Actor,
  timeZone: string,
): Promise<Page<Omit<PreventionSummary, 'state'>>> {
  const list: ListQuery = new ListQuery('sort_at');
  const zone = () => list.param(timeZone);
  list
    .territory(actor)
    .when(filter.status, (p) => `status = ${p}`)
    .when(filter.source, (p) => `source = ${p}`)
    .when(filter.flag, (p) => `${p} = any(flags)`)
    .when(filter.outcome, (p) => `outcome = ${p}`)
    .when(filter.subject, namesSubject)
    // Days in the deployment's time zone, as the figures count reports.
    .when(filter.reportedFrom, (p) => `sort_at >= (${p}::date)::timestamp at time zone ${zone()}`)
    .when(filter.reportedTo, (p) => `sort_at < (${p}::date + 1)::timestamp at time zone ${zone()}`)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: PreventionSummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: rows.map((r) => strip(parseDoc(r.doc))), nextCursor };
}

/** Businesses or business groups of the caller's territory; `subject` gives an owner's or a member's. */
export interface EnterpriseFilter extends PageFilter {
  readonly status?: string;
  /** A consultation's agency. */
  readonly agency?: string;
  /** Started (a business) or formed (a group) on or after, on or before these days. */
  readonly from?: string;
  readonly to?: string;
}

/** A page of businesses, business groups or consultations, the latest started, formed or held first. */
export async function enterprisePage(
  db: SqlClient,
  table: string,
  kind: EnterpriseSummary['kind'],
  filter: EnterpriseFilter,
  actor: Actor,
): Promise<Page<Omit<EnterpriseSummary, 'volumes'> & { monthsReported: number }>> {
  const list: ListQuery = new ListQuery('sort_at');
  list
    .territory(actor)
    .when(kind, (p) => `kind = ${p}`)
    .when(filter.status, (p) => `status = ${p}`)
    .when(filter.agency, (p) => `doc->>'agency' = ${p}`)
    .when(filter.from, (p) => `day >= ${p}`)
    .when(filter.to, (p) => `day <= ${p}`)
    .when(filter.subject, namesSubject)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: EnterpriseSummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return {
    items: rows.map((r) => {
      const { volumes, ...rest } = parseDoc(r.doc);
      return { ...rest, monthsReported: Object.keys(volumes).length };
    }),
    nextCursor,
  };
}

export interface CommunityFilter extends PageFilter {
  readonly status?: CommunitySummary['status'];
  readonly formedFrom?: string;
  readonly formedTo?: string;
}

/** A page of communities, the latest formed first; `subject` gives the ones a person belongs to now. */
export async function communitiesPage(
  db: SqlClient,
  table: string,
  filter: CommunityFilter,
  actor: Actor,
): Promise<Page<Omit<CommunitySummary, 'joinings' | 'leavings' | 'members'> & { members: number }>> {
  const list: ListQuery = new ListQuery('sort_at');
  list
    .territory(actor)
    .when(filter.status, (p) => `status = ${p}`)
    .when(filter.formedFrom, (p) => `formed_on >= ${p}`)
    .when(filter.formedTo, (p) => `formed_on <= ${p}`)
    .when(filter.subject, namesSubject)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: CommunitySummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return {
    items: rows.map((r) => {
      const { joinings: _j, leavings: _l, members, ...rest } = parseDoc(r.doc);
      return { ...rest, members: members.length };
    }),
    nextCursor,
  };
}

/** A page of dissemination sessions or of enquiries, newest first by the day they happened. */
export async function informationPage(
  db: SqlClient,
  table: string,
  kind: InformationSummary['kind'],
  filter: InformationFilter,
  actor: Actor,
): Promise<Page<InformationSummary>> {
  const list: ListQuery = new ListQuery('sort_at');
  list
    .territory(actor)
    .when(kind, (p) => `kind = ${p}`)
    .when(filter.from, (p) => `day >= ${p}`)
    .when(filter.to, (p) => `day <= ${p}`)
    .when(filter.topic, (p) => `${p} = any(topics)`)
    .when(filter.channel, (p) => `channel = ${p}`)
    .when(filter.outcome, (p) => `outcome = ${p}`)
    .when(filter.referredTo, (p) => `referred_to = ${p}`)
    .when(filter.subject, namesSubject)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: InformationSummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: rows.map((r) => parseDoc(r.doc)), nextCursor };
}

/**
 * A page of cases, newest first. `nameOf` names what is counted under a keyed token (health and
 * trafficking categories): the list is the caller's territory, so they are named for them.
 */
export async function casesPage(
  db: SqlClient,
  table: string,
  filter: CaseFilter,
  actor: Actor,
  now: Date,
  timeZone: string,
  nameOf: (key: string) => string,
): Promise<Page<CaseListItem>> {
  const list = new ListQuery('opened_at').territory(actor);
  const at = list.param(now.toISOString());
  const overdue = overdueSql(at);
  // Only when a day filter is asked for: an unused parameter is an error to PostgreSQL.
  const zone = () => list.param(timeZone);
  const category = filter.category;
  list
    .when(filter.status, (p) => `status = ${p}`)
    // A health or trafficking category is listed under its token (cases recorded before it was sealed, by name).
    .when(category?.name, (p) =>
      category?.token ? `(${p} = any(categories) or ${list.param(category.token)} = any(categories))` : `${p} = any(categories)`,
    )
    .when(filter.urgency, (p) => `urgency = ${p}`)
    .when(filter.assignedTo, (p) => `assigned_to = ${p}`)
    .when(filter.area, (p) => `starts_with(area, ${p})`)
    .when(filter.subject, namesSubject)
    // Days in the deployment's time zone, as the indicators count them: a drill-down lists what its row counted.
    .when(filter.openedFrom, (p) => `opened_at >= (${p}::date)::timestamp at time zone ${zone()}`)
    .when(filter.openedTo, (p) => `opened_at < (${p}::date + 1)::timestamp at time zone ${zone()}`);
  if (filter.overdue !== undefined) list.raw(filter.overdue ? overdue : `not ${overdue}`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: CaseSummary | string; overdue: boolean }>(
    db,
    table,
    `doc, ${overdue} as overdue`,
    { limit: filter.limit, cursor: filter.cursor },
  );
  const items = rows.map((row) => {
    const { state: _state, sexToken: _sex, ...summary } = parseDoc(row.doc);
    return { ...summary, categories: summary.categories.map(nameOf), overdue: row.overdue };
  });
  return { items, nextCursor };
}

/** How many items of each kind a worklist holds at most. */
const WORKLIST_LIMIT = 200;

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

/**
 * An officer's open work across the three workflows, within their territory: cases by what falls due
 * first (the first action, then the resolution), overdue ones marked; then open placements and
 * prevention records, oldest first (what has waited longest). Up to 200 of each: the first 200 in that
 * order, however many are open, each read from an index that serves the order (see the projections).
 */
export async function worklist(db: SqlClient, tables: ReadModelTables, actor: Actor, now: Date): Promise<{ items: WorklistItem[] }> {
  const cases = new ListQuery(CASE_WORK_DUE_SQL, 'asc').territory(actor).raw(CASE_OPEN_SQL);
  const at = cases.param(now.toISOString());
  const caseRows = await cases.page<{
    id: string;
    sort_at: string | Date;
    area: string;
    status: string;
    urgency: string | null;
    overdue: boolean;
  }>(db, tables.cases, `area, status, urgency, ${overdueSql(at)} as overdue`, { limit: WORKLIST_LIMIT });
  const placements = await new ListQuery('sort_at', 'asc')
    .territory(actor)
    .raw(PLACEMENT_OPEN_SQL)
    .page<{ id: string; sort_at: string; area: string; stage: string }>(db, tables.placements, 'area, stage', { limit: WORKLIST_LIMIT });
  const preventions = await new ListQuery('sort_at', 'asc')
    .territory(actor)
    .raw(PREVENTION_OPEN_SQL)
    .page<{ id: string; sort_at: string; area: string; status: string }>(db, tables.preventions, 'area, status', {
      limit: WORKLIST_LIMIT,
    });
  const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();
  const items: WorklistItem[] = [
    ...caseRows.rows.map((r) => ({
      kind: 'case' as const,
      id: r.id,
      areaCode: r.area,
      status: r.status,
      urgency: r.urgency,
      due: iso(r.sort_at),
      overdue: r.overdue,
      since: null,
    })),
    ...placements.rows.map((r) => ({
      kind: 'placement' as const,
      id: r.id,
      areaCode: r.area,
      status: r.stage,
      urgency: null,
      due: null,
      overdue: false,
      since: iso(r.sort_at),
    })),
    ...preventions.rows.map((r) => ({
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

export interface KurFilter extends PageFilter {
  /** Applied on or after, on or before these days. */
  readonly appliedFrom?: string;
  readonly appliedTo?: string;
  /** Disbursed on or after, on or before these days. */
  readonly disbursedFrom?: string;
  readonly disbursedTo?: string;
  readonly status?: Exclude<KurStatus, 'none'>;
}

/** An application as the list shows it: its steps and their days, never an amount (those are sealed). */
export type KurListItem = Omit<Extract<KurSummary, { kind: 'application' }>, 'kind'> & {
  readonly status: Exclude<KurStatus, 'none'>;
};

/** A page of KUR applications of the caller's territory, the latest applied first; `subject` gives an applicant's. */
export async function kurPage(db: SqlClient, table: string, filter: KurFilter, actor: Actor): Promise<Page<KurListItem>> {
  const list: ListQuery = new ListQuery('sort_at');
  list
    .territory(actor)
    .raw(`kind = 'application'`)
    .when(filter.appliedFrom, (p) => `day >= ${p}`)
    .when(filter.appliedTo, (p) => `day <= ${p}`)
    .when(filter.disbursedFrom, (p) => `doc->>'disbursedOn' >= ${p}`)
    .when(filter.disbursedTo, (p) => `doc->>'disbursedOn' <= ${p}`)
    .when(filter.status, (p) => `${KUR_STATUS_SQL} = ${p}`)
    .when(filter.subject, namesSubject)
    .when(filter.area, (p) => `starts_with(area, ${p})`);
  const { rows, nextCursor } = await list.page<{ id: string; sort_at: string; doc: KurSummary | string }>(db, table, 'doc', {
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return {
    items: rows.map((r) => {
      const { kind: _kind, ...rest } = parseDoc(r.doc) as Extract<KurSummary, { kind: 'application' }>;
      return { ...rest, status: kurStatus(rest) };
    }),
    nextCursor,
  };
}

/** Where an application stands: its last step (a credit is disbursed after approval). */
function kurStatus(d: Pick<KurListItem, 'approvedOn' | 'refusedOn' | 'disbursedOn'>): KurListItem['status'] {
  if (d.disbursedOn) return 'disbursed';
  if (d.refusedOn) return 'refused';
  if (d.approvedOn) return 'approved';
  return 'applied';
}

const KUR_STATUS_SQL = `(case when doc->>'disbursedOn' is not null then 'disbursed' when doc->>'refusedOn' is not null then 'refused'
  when doc->>'approvedOn' is not null then 'approved' else 'applied' end)`;
