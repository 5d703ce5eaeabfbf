/**
 * The values the API accepts, as the web app offers them. Kept in step with the domain libraries by
 * test (apps/web/catalogs.spec.ts compares them with @jejak/accompaniment), not imported, so the browser
 * bundle carries no server code.
 */
export const CHANNELS = ['walk_in', 'hotline', 'family_report', 'referral', 'online'] as const;
export const CATEGORIES = [
  'wants_repatriation',
  'unpaid_wages',
  'died_abroad',
  'ill',
  'mental_illness',
  'failed_to_depart',
  'job_fraud',
  'trafficking',
  'work_not_matching_contract',
  'employer_violence',
  'sexual_harassment',
  'lost_contact',
  'overcharged_fees',
  'deported',
  'pregnant_or_child',
  'social_security_claim',
] as const;
export const RELATIONSHIPS = ['self', 'spouse', 'parent', 'child', 'sibling', 'other_family', 'other'] as const;
export const URGENCIES = ['critical', 'high', 'normal', 'low'] as const;

export const MILESTONES = [
  'selected',
  'medicallyCleared',
  'competencyCertified',
  'agreementSigned',
  'socialSecurityEnrolled',
  'documentsComplete',
  'orientationCompleted',
  'departed',
  'arrivalReported',
  'returned',
] as const;
export const DOCUMENT_KINDS = [
  'identity_card',
  'family_card',
  'diploma',
  'marital_status_letter',
  'family_permission',
  'competency_certificate',
  'health_certificate',
  'passport',
  'work_visa',
  'placement_agreement',
  'employment_contract',
  'social_security_card',
  'orientation_certificate',
] as const;
export const SECTORS = [
  'domestic_individual_employer',
  'caregiver',
  'manufacturing',
  'construction',
  'plantation',
  'fishing',
  'hospitality',
  'healthcare',
  'other',
] as const;
export const EMPLOYER_TYPES = ['individual', 'legal_entity'] as const;

/** `rupiah`: whole rupiah, sent as a number; `fileHash`: a file hashed in the browser (SHA-256), only the hash sent. */
export type FieldKind = 'date' | 'text' | 'select' | 'document' | 'checkbox' | 'checkboxes' | 'rupiah' | 'fileHash';
export interface StepField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly options?: readonly string[];
  /** For a document field: the kind of recorded document it picks. */
  readonly documentKind?: (typeof DOCUMENT_KINDS)[number];
  readonly optional?: boolean;
  /** The catalog section naming the options (default `option`). */
  readonly catalog?: string;
}
export interface Step {
  readonly key: string;
  readonly path: string;
  /** The milestone it records; a step whose milestone is reached is not offered again. */
  readonly milestone?: (typeof MILESTONES)[number];
  readonly fields: readonly StepField[];
  /** A title already in the user's words, for steps made per item (a flag); else `step.<key>`. */
  readonly label?: string;
}

const on: StepField = { name: 'on', kind: 'date', optional: true };

/** Each legal step of a placement as its own small form: only the fields that step needs. */
export const PLACEMENT_STEPS: readonly Step[] = [
  {
    key: 'document',
    path: 'documents',
    fields: [
      { name: 'kind', kind: 'select', options: DOCUMENT_KINDS },
      { name: 'number', kind: 'text' },
      { name: 'issuer', kind: 'text' },
      { name: 'issuedOn', kind: 'date' },
      { name: 'expiresOn', kind: 'date', optional: true },
      { name: 'healthResult', kind: 'select', options: ['fit', 'unfit'], optional: true },
      { name: 'acknowledgedByVillageHead', kind: 'checkbox', optional: true },
      { name: 'jobOrderNumber', kind: 'text', optional: true },
    ],
  },
  {
    key: 'jobOrder',
    path: 'job-order-selection',
    milestone: 'selected',
    fields: [
      { name: 'scheme', kind: 'select', options: ['P3MI', 'G2G'] },
      { name: 'agencyId', kind: 'text', optional: true },
      { name: 'jobOrderNumber', kind: 'text' },
      { name: 'destinationCountry', kind: 'text' },
      { name: 'sector', kind: 'select', options: SECTORS },
      { name: 'employerType', kind: 'select', options: EMPLOYER_TYPES },
      { name: 'recruitmentPermitNumber', kind: 'text', optional: true },
      { name: 'position', kind: 'text' },
      on,
    ],
  },
  {
    key: 'medical',
    path: 'medical-clearance',
    milestone: 'medicallyCleared',
    fields: [{ name: 'documentId', kind: 'document', documentKind: 'health_certificate' }, on],
  },
  {
    key: 'competency',
    path: 'competency-certification',
    milestone: 'competencyCertified',
    fields: [{ name: 'documentId', kind: 'document', documentKind: 'competency_certificate' }, on],
  },
  {
    key: 'agreement',
    path: 'placement-agreement',
    milestone: 'agreementSigned',
    fields: [
      { name: 'agreementDocumentId', kind: 'document', documentKind: 'placement_agreement' },
      { name: 'familyPermissionDocumentId', kind: 'document', documentKind: 'family_permission' },
      { name: 'maritalStatusDocumentId', kind: 'document', documentKind: 'marital_status_letter' },
      { name: 'ltsa', kind: 'text' },
      on,
    ],
  },
  {
    key: 'socialSecurity',
    path: 'social-security-enrollment',
    milestone: 'socialSecurityEnrolled',
    fields: [{ name: 'documentId', kind: 'document', documentKind: 'social_security_card' }, on],
  },
  {
    key: 'documentsComplete',
    path: 'documents-completion',
    milestone: 'documentsComplete',
    fields: [
      { name: 'passportDocumentId', kind: 'document', documentKind: 'passport' },
      { name: 'visaDocumentId', kind: 'document', documentKind: 'work_visa' },
      { name: 'contractDocumentId', kind: 'document', documentKind: 'employment_contract' },
      on,
    ],
  },
  { key: 'orientation', path: 'orientation', milestone: 'orientationCompleted', fields: [{ name: 'place', kind: 'text' }, on] },
  { key: 'departure', path: 'departure', milestone: 'departed', fields: [{ name: 'route', kind: 'text' }, on] },
  { key: 'arrival', path: 'arrival-report', milestone: 'arrivalReported', fields: [{ name: 'mission', kind: 'text' }, on] },
  { key: 'return', path: 'return', milestone: 'returned', fields: [{ name: 'note', kind: 'text', optional: true }, on] },
  { key: 'withdrawal', path: 'withdrawal', fields: [{ name: 'reason', kind: 'text' }, on] },
  { key: 'departureFailure', path: 'departure-failure', fields: [{ name: 'reason', kind: 'text' }, on] },
];

export const SOURCES = [
  'community_report',
  'family',
  'village_official',
  'officer_observation',
  'placement_flag',
  'enquiry',
  'hotline',
  'other',
] as const;
export const FLAGS = [
  'tourist_visa_for_work',
  'pilgrimage_visa_for_work',
  'umrah_visa_for_work',
  'moratorium_destination',
  'unlicensed_recruiter',
  'upfront_payment',
  'held_in_shelter',
  'ltsa_bypassed',
  'village_head_not_informed',
  'falsified_village_documents',
  'duplicate_passport',
  'transit_route',
  'scam_centre_destination',
  'other',
] as const;
export const INTERVENTIONS = [
  'information_session',
  'family_counselling',
  'village_head_informed',
  'passport_deferral_requested',
  'interdiction',
  'police_report',
  'village_regulation',
] as const;
export const PREVENTION_OUTCOMES = [
  'redirected_to_legal_placement',
  'departed_non_procedurally',
  'referred_to_police',
  'unresolved',
] as const;

/** The steps of a prevention record, each its own small form. */
export const PREVENTION_STEPS: readonly Step[] = [
  {
    key: 'verification',
    path: 'verification',
    fields: [
      { name: 'result', kind: 'select', options: ['confirmed', 'dismissed'], catalog: 'verdict' },
      { name: 'reason', kind: 'text', optional: true },
    ],
  },
  {
    key: 'intervention',
    path: 'interventions',
    fields: [
      { name: 'kind', kind: 'select', options: INTERVENTIONS, catalog: 'intervention' },
      { name: 'on', kind: 'date', optional: true },
      { name: 'note', kind: 'text', optional: true },
    ],
  },
  {
    key: 'outcome',
    path: 'outcome',
    fields: [
      { name: 'outcome', kind: 'select', options: PREVENTION_OUTCOMES, catalog: 'preventionOutcome' },
      { name: 'placementId', kind: 'text', optional: true },
      { name: 'note', kind: 'text', optional: true },
    ],
  },
  {
    key: 'caseRequest',
    path: 'case-request',
    fields: [
      { name: 'categories', kind: 'checkboxes', options: CATEGORIES, catalog: 'category' },
      { name: 'complaint', kind: 'text' },
    ],
  },
  { key: 'closure', path: 'closure', fields: [] },
];

export const ACTION_KINDS = [
  'clarification_with_p3mi',
  'mediation',
  'referral',
  'social_security_claim',
  'insurance_claim',
  'repatriation',
  'litigation_support',
] as const;
export const REFERRAL_TARGETS = ['embassy', 'police', 'provincial_office', 'other_organisation'] as const;
export const CASE_OUTCOMES = [
  'wages_recovered',
  'repatriated',
  'compensation_paid',
  'remains_returned',
  'referred_on',
  'no_outcome',
] as const;

/** The steps of a case, each its own small form (an open action's answer is made per action on the page). */
export const CASE_STEPS: readonly Step[] = [
  {
    key: 'caseVerification',
    path: 'verification',
    fields: [
      { name: 'procedural', kind: 'select', options: ['procedural', 'non_procedural', 'unknown'], catalog: 'procedural' },
      { name: 'placementId', kind: 'text', optional: true },
    ],
  },
  {
    key: 'classification',
    path: 'classification',
    fields: [
      { name: 'urgency', kind: 'select', options: URGENCIES, catalog: 'urgency' },
      { name: 'categories', kind: 'checkboxes', options: CATEGORIES, catalog: 'category', optional: true },
    ],
  },
  {
    key: 'assignment',
    path: 'assignment',
    fields: [
      { name: 'officerId', kind: 'text' },
      { name: 'reason', kind: 'text', optional: true },
    ],
  },
  {
    key: 'action',
    path: 'actions',
    fields: [
      { name: 'kind', kind: 'select', options: ACTION_KINDS.filter((k) => k !== 'referral'), catalog: 'actionKind' },
      { name: 'amountClaimed', kind: 'rupiah', optional: true },
      { name: 'note', kind: 'text', optional: true },
    ],
  },
  {
    key: 'referral',
    path: 'referrals',
    fields: [
      { name: 'to', kind: 'select', options: REFERRAL_TARGETS, catalog: 'referralTarget' },
      { name: 'organisation', kind: 'text' },
      { name: 'note', kind: 'text', optional: true },
    ],
  },
  {
    key: 'evidence',
    path: 'evidence',
    fields: [
      { name: 'sha256', kind: 'fileHash' },
      { name: 'description', kind: 'text' },
    ],
  },
  {
    key: 'resolution',
    path: 'resolution',
    fields: [
      { name: 'outcome', kind: 'select', options: CASE_OUTCOMES, catalog: 'caseOutcome' },
      { name: 'amountRecovered', kind: 'rupiah', optional: true },
      { name: 'summary', kind: 'text', optional: true },
    ],
  },
];

/** Information services (libs/information): the built-in topics, an enquiry's channels, outcomes and referrals. */
export const SEED_TOPICS = [
  'safe_migration_procedure',
  'required_documents',
  'moratorium_countries',
  'rights_and_protection_abroad',
  'remittances_and_financial_literacy',
  'recognising_illegal_recruiters',
] as const;
export const ENQUIRY_CHANNELS = ['walk_in', 'phone', 'messaging', 'home_visit'] as const;
export const ENQUIRY_OUTCOMES = ['answered', 'referred'] as const;
export const ENQUIRY_REFERRALS = ['placement', 'case', 'prevention'] as const;

/** A community member's relation to migration (libs/community). */
export const RELATIONS = ['prospective_worker', 'worker_abroad', 'returned_worker', 'family_member'] as const;

/** The economic unit (libs/enterprise). */
export const BUSINESS_SECTORS = [
  'trade',
  'food_processing',
  'crafts',
  'livestock',
  'agriculture',
  'fisheries',
  'services',
  'other',
] as const;
export const BUSINESS_STATUSES = ['active', 'paused', 'closed'] as const;
export const LEGAL_STATUSES = ['informal', 'cooperative'] as const;
export const CONSULTED_AGENCIES = [
  'cooperative_office',
  'bank',
  'vocational_training_centre',
  'university',
  'trade_office',
  'agriculture_office',
  'other',
] as const;
export const CONSULTATION_TOPICS = [
  'business_plan',
  'credit_access',
  'marketing',
  'product_quality',
  'bookkeeping',
  'licensing',
  'other',
] as const;
export const KUR_SCHEMES = ['super_micro', 'micro', 'small'] as const;
export const KUR_STATUSES = ['applied', 'approved', 'refused', 'disbursed'] as const;
export const REPAYMENT_STATUSES = ['current', 'late', 'paid_off', 'default'] as const;

/** The officers' units (kernel) and backgrounds (libs/identity). */
export const UNITS = ['info_advocacy', 'economic'] as const;
export const BACKGROUNDS = ['village_official', 'community_leader', 'returned_worker', 'community_organizer'] as const;
