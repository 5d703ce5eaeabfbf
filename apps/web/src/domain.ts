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
