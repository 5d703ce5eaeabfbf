/**
 * Every figure of the indicators report, defined once: its place in the JSON row, its CSV column, and one
 * sentence saying what it counts and in which month it falls. The API's OpenAPI description, the README's
 * table and the CSV header are all built from (or checked against) this list.
 */
export interface Figure {
  /** Path in an indicators row, e.g. `cases.opened`. */
  readonly key: string;
  /** CSV column, or for a breakdown the prefix of its `prefix:<name>` columns. */
  readonly csv: string;
  readonly breakdown?: true;
  readonly sentence: string;
}

export const FIGURES: readonly Figure[] = [
  { key: 'placements.registered', csv: 'placements_registered', sentence: 'Placement records whose registration date falls in the month.' },
  { key: 'placements.departed', csv: 'placements_departed', sentence: 'Placements whose recorded departure date falls in the month.' },
  {
    key: 'placements.byStage',
    csv: 'stage',
    breakdown: true,
    sentence:
      'Of the placements registered in the month, how many stand at each stage today (the furthest milestone reached); this breakdown moves as they progress.',
  },
  {
    key: 'cases.opened',
    csv: 'cases_opened',
    sentence: 'Cases whose intake happened in the month (its occurredAt, in the deployment’s time zone).',
  },
  {
    key: 'cases.resolved',
    csv: 'cases_resolved',
    sentence: 'Resolutions that happened in the month; a case reopened and resolved again counts in both months.',
  },
  {
    key: 'cases.closed',
    csv: 'cases_closed',
    sentence: 'Closures that happened in the month; a case reopened and closed again counts in both months.',
  },
  {
    key: 'cases.overdueNow',
    csv: 'cases_overdue_now',
    sentence:
      'Of the cases opened in the month, those that now have a pending deadline (first action or resolution) already passed; a resolved or closed case has none. A snapshot of the present.',
  },
  {
    key: 'cases.medianDaysToResolution',
    csv: 'cases_median_days_to_resolution',
    sentence:
      'The median, over the resolutions counted in the month, of whole days from the case’s opening to that resolution; empty when there were none.',
  },
  {
    key: 'cases.byCategory',
    csv: 'category',
    breakdown: true,
    sentence: 'The cases opened in the month, counted once under each of their complaint categories.',
  },
  {
    key: 'cases.byDestination',
    csv: 'destination',
    breakdown: true,
    sentence: 'The cases opened in the month, by destination country; `unknown` when the complainant did not know it.',
  },
  {
    key: 'cases.bySex',
    csv: 'sex',
    breakdown: true,
    sentence: 'The cases opened in the month, by the worker’s sex as given at intake (F, M), `unknown` when it was not given.',
  },
  {
    key: 'cases.byChannel',
    csv: 'channel',
    breakdown: true,
    sentence: 'The cases opened in the month, by the channel the complaint came in on (walk-in, hotline, family report, referral, online).',
  },
  {
    key: 'cases.procedural',
    csv: 'procedural',
    breakdown: true,
    sentence:
      'The cases opened in the month, by what verification says today of how the worker went abroad: procedural, non-procedural, or unverified.',
  },
  {
    key: 'cases.referralsUnanswered',
    csv: 'referrals_unanswered',
    sentence: 'Referrals recorded in the month as "no response" (the body referred to never answered).',
  },
  { key: 'preventions.reported', csv: 'preventions_reported', sentence: 'Reports of non-procedural recruitment made in the month.' },
  {
    key: 'preventions.confirmed',
    csv: 'preventions_confirmed',
    sentence: 'Reports that verification confirmed in the month; a confirmed warning sign alone does not make a report confirmed.',
  },
  {
    key: 'preventions.redirectedToLegalPlacement',
    csv: 'preventions_redirected',
    sentence: 'Outcomes "redirected to a legal placement" that happened in the month.',
  },
  {
    key: 'preventions.departedAnyway',
    csv: 'preventions_departed_anyway',
    sentence: 'Outcomes "departed non-procedurally" that happened in the month.',
  },
  {
    key: 'preventions.passportDeferralsRequested',
    csv: 'passport_deferrals_requested',
    sentence: 'Requests to immigration to defer a person’s passport, dated in the month.',
  },
  {
    key: 'preventions.byIntervention',
    csv: 'intervention',
    breakdown: true,
    sentence:
      'Interventions dated in the month, by kind (information session, family counselling, village regulation, passport deferral, interdiction, police report, ...).',
  },
  {
    key: 'information.sessions',
    csv: 'sessions_held',
    sentence: 'Dissemination sessions held in the month (the day the officer recorded).',
  },
  {
    key: 'information.peopleReached',
    csv: 'people_reached',
    sentence:
      'People reached by the sessions held in the month as first counted, plus the difference of each correction made in the month (a correction counts when it is made, so a finished month never changes).',
  },
  {
    key: 'information.sessionsByTopic',
    csv: 'topic',
    breakdown: true,
    sentence: 'The sessions held in the month, counted once under each topic they covered.',
  },
  { key: 'information.enquiries', csv: 'enquiries', sentence: 'Enquiries to the information service received in the month.' },
  {
    key: 'information.enquiriesAnswered',
    csv: 'enquiries_answered',
    sentence: 'Enquiries received in the month that the officer answered on the spot.',
  },
  {
    key: 'information.enquiriesReferred',
    csv: 'enquiries_referred',
    sentence: 'Enquiries received in the month that were referred to a placement, a case or a prevention record.',
  },
  {
    key: 'information.enquiriesByChannel',
    csv: 'enquiry_channel',
    breakdown: true,
    sentence: 'The enquiries received in the month, by channel (walk-in, phone, messaging, home visit).',
  },
  {
    key: 'information.referredTo',
    csv: 'referred_to',
    breakdown: true,
    sentence: 'The enquiries received in the month and referred, by the workflow they were referred to.',
  },
  { key: 'communities.formed', csv: 'communities_formed', sentence: 'KKBM communities whose formation date falls in the month.' },
  {
    key: 'communities.membersJoined',
    csv: 'members_joined',
    sentence: 'Joinings of a community in the month; a person who leaves and joins again counts again.',
  },
  { key: 'communities.membersLeft', csv: 'members_left', sentence: 'Members who left a community in the month.' },
  {
    key: 'communities.joinedByRelation',
    csv: 'joined_as',
    breakdown: true,
    sentence:
      'The joinings of the month, by the member’s relation to migration when they joined (prospective worker, worker abroad, returned worker, family member).',
  },
  { key: 'enterprise.businessesStarted', csv: 'businesses_started', sentence: 'Business units whose start date falls in the month.' },
  {
    key: 'enterprise.startedBySector',
    csv: 'sector',
    breakdown: true,
    sentence: 'The business units started in the month, by sector (trade, food processing, crafts, livestock, agriculture, ...).',
  },
  { key: 'enterprise.businessesClosed', csv: 'businesses_closed', sentence: 'Business units closed on a day in the month.' },
  {
    key: 'enterprise.businessesActive',
    csv: 'businesses_active',
    sentence:
      'Business units with a volume report for the month: those that operated in it. Reports come after the month ends, so this figure grows until every business has reported.',
  },
  {
    key: 'enterprise.turnover',
    csv: 'turnover',
    sentence:
      'The total turnover, in whole rupiah, that the businesses reported for the month, each as last corrected (it moves while reports and corrections for the month arrive).',
  },
  {
    key: 'enterprise.medianTurnover',
    csv: 'median_turnover',
    sentence: 'The median of the monthly turnovers reported for the month, over the businesses that reported; empty when none did.',
  },
  {
    key: 'enterprise.employed',
    csv: 'employed',
    sentence: 'People the businesses reported as working in them in the month, owners included.',
  },
  {
    key: 'enterprise.groupsFormed',
    csv: 'groups_formed',
    sentence: 'Business groups and cooperatives whose formation date falls in the month.',
  },
  {
    key: 'enterprise.cooperatives',
    csv: 'cooperatives_registered',
    sentence: 'Groups formed as a registered cooperative in the month, or registered as one in the month.',
  },
  { key: 'enterprise.consultations', csv: 'consultations', sentence: 'Business-development consultations held in the month.' },
  {
    key: 'enterprise.consultationsByAgency',
    csv: 'consulted',
    breakdown: true,
    sentence:
      'The consultations held in the month, by whom they were with (cooperative office, bank, vocational training centre, university, ...).',
  },
  { key: 'kur.applications', csv: 'kur_applications', sentence: 'Applications for people’s business credit (KUR) made in the month.' },
  { key: 'kur.approvals', csv: 'kur_approvals', sentence: 'KUR applications approved by the bank on a day in the month.' },
  { key: 'kur.refusals', csv: 'kur_refusals', sentence: 'KUR applications refused by the bank on a day in the month.' },
  { key: 'kur.disbursements', csv: 'kur_disbursements', sentence: 'KUR credits disbursed on a day in the month.' },
  {
    key: 'kur.amountRequested',
    csv: 'kur_amount_requested',
    sentence: 'The sum, in whole rupiah, of the amounts requested in the applications made in the month.',
  },
  {
    key: 'kur.amountApproved',
    csv: 'kur_amount_approved',
    sentence: 'The sum, in whole rupiah, of the amounts approved on a day in the month.',
  },
  {
    key: 'kur.amountDisbursed',
    csv: 'kur_amount_disbursed',
    sentence:
      'The sum, in whole rupiah, of the amounts disbursed on a day in the month (counted apart from the applicants, whose amounts stay sealed: an erasure leaves it as it was).',
  },
];

/** The catalog as a Markdown list, for the OpenAPI description. */
export const figuresMarkdown = (): string =>
  FIGURES.map((f) => `- \`${f.key}\` (CSV \`${f.csv}${f.breakdown ? ':<name>' : ''}\`): ${f.sentence}`).join('\n');
