/** The indicators report as the dashboard and its chart read it. */
/** One area and month of GET /reports/indicators (only what the dashboard reads). */
export interface IndicatorRow {
  readonly area: string;
  readonly period: string;
  readonly placements: Record<string, number | Record<string, number>>;
  readonly cases: Record<string, number | null | Record<string, number>>;
  readonly preventions: Record<string, number | Record<string, number>>;
  readonly information: Record<string, number | Record<string, number>>;
  readonly communities: Record<string, number | Record<string, number>>;
  readonly enterprise: Record<string, number | null | Record<string, number>>;
  readonly kur: Record<string, number>;
  readonly links: {
    readonly cases: string;
    readonly placements: string;
    readonly preventions: string;
    readonly sessions: string;
    readonly enquiries: string;
    readonly communities: string;
    readonly businesses: string;
    readonly groups: string;
    readonly kur: string;
    readonly kurDisbursed: string;
    readonly consultations: string;
  };
}

export const valueOf = (row: IndicatorRow, key: string): number => {
  const [group, name] = key.split('.') as [keyof IndicatorRow, string];
  const value = (row[group] as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : 0;
};

/** The headline figures: a tile each, a column each in the areas' table. Each is defined once in FIGURES (libs/read-models). */
export const HEADLINE = [
  'cases.opened',
  'cases.resolved',
  'cases.closed',
  'cases.overdueNow',
  'placements.registered',
  'placements.departed',
  'preventions.reported',
  'preventions.confirmed',
  'preventions.redirectedToLegalPlacement',
  'information.sessions',
  'information.peopleReached',
  'information.enquiries',
  'communities.membersJoined',
  'enterprise.businessesActive',
  'enterprise.turnover',
  'kur.disbursements',
  'kur.amountDisbursed',
] as const;
