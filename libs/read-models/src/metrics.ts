import type { Fact } from './projection';

/**
 * Every counter the projections write and the indicator report reads, by name: one list, so a projection
 * cannot write a metric no report reads, and the report's reading of them is checked to cover each one.
 */
export const METRICS = [
  'cases.opened',
  'cases.category',
  'cases.destination',
  'cases.channel',
  'cases.sex',
  'cases.procedural',
  /** Open cases by the month (UTC) their next deadline falls in: "overdue now" adds those already past. */
  'cases.pending_due',
  'cases.resolved',
  /** Resolved cases by whole days from opening to resolution: the median is read from this histogram. */
  'cases.resolution_days',
  'cases.closed',
  'cases.referrals_unanswered',
  'placements.registered',
  'placements.departed',
  'preventions.reported',
  'preventions.confirmed',
  'preventions.redirected',
  'preventions.departed_anyway',
  'preventions.passport_deferrals',
  'preventions.intervention',
  'information.sessions',
  /** People reached by sessions: each session's first count on its day, each correction's difference on its day. */
  'information.people_reached',
  'information.session_topic',
  /** Enquiries by channel. */
  'information.enquiries',
  /** Referred enquiries by the workflow referred to. */
  'information.referred',
  'communities.formed',
  /** Joinings by the member's relation to migration when they joined. */
  'members.joined',
  'members.left',
  /** Businesses by the day they started, keyed by sector. */
  'enterprise.businesses_started',
  'enterprise.businesses_closed',
  /** On the first day of each month a business reported for: one each, its turnover, its people employed. */
  'enterprise.businesses_reporting',
  'enterprise.turnover',
  /** Each report's turnover as a key: the median is read from this histogram. */
  'enterprise.turnover_values',
  'enterprise.employed',
  'enterprise.groups_formed',
  /** Groups formed as cooperatives, or registered as one later, on that day. */
  'enterprise.cooperatives',
  /** Consultations by the agency consulted. */
  'enterprise.consultations',
  'kur.applied',
  'kur.approved',
  'kur.refused',
  'kur.disbursed',
  /** Amounts in whole rupiah, on the day of the application, the approval and the disbursement. */
  'kur.amount_requested',
  'kur.amount_approved',
  'kur.amount_disbursed',
] as const;

export type Metric = (typeof METRICS)[number];

/** A fact of the program's projections: the engine sums any metric, the program writes only these. */
export interface ProgramFact extends Fact {
  readonly metric: Metric;
}
