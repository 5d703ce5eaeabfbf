import type { Role } from '@jejak/kernel';

/**
 * Who may call what: the one place access is decided. The guard enforces it on every route, a route with
 * no entry is refused (fail closed), and the test suite generates its route x role x scope matrix from it.
 *
 * - officer: reads and writes within their villages;
 * - supervisor: reads within their region, approves within it;
 * - auditor: reads within their scope, writes nothing;
 * - admin: users, reference data, data-subject requests; no case content unless also given another role.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Access = 'public' | 'authenticated' | readonly Role[];

/** Where the area (administrative code) that the actor's scopes must cover comes from. */
export type ScopeRule =
  /** A field of the JSON body, e.g. the village a new record belongs to. */
  | { readonly from: 'body'; readonly field: string }
  /** The data subject named by a route parameter. */
  | { readonly from: 'subject'; readonly param: string }
  /** The placement named by a route parameter: it belongs to the worker's village. */
  | { readonly from: 'placement'; readonly param: string }
  /** The case named by a route parameter: it belongs to the village that took it. */
  | { readonly from: 'case'; readonly param: string }
  /** The prevention record named by a route parameter: it belongs to the village where recruitment happens. */
  | { readonly from: 'prevention'; readonly param: string };

export interface RoutePolicy {
  readonly method: HttpMethod;
  /** Express route pattern, as Nest registers it. */
  readonly path: string;
  readonly access: Access;
  readonly scope?: ScopeRule;
}

const SUBJECT = { from: 'subject', param: 'id' } as const;
const PLACEMENT = { from: 'placement', param: 'id' } as const;
const READERS = ['officer', 'supervisor', 'auditor'] as const;
const CASE = { from: 'case', param: 'id' } as const;
const PREVENTION = { from: 'prevention', param: 'id' } as const;
const PREVENTION_COMMANDS = [
  'flags',
  'flags/:flagId/confirmation',
  'flags/:flagId/dismissal',
  'verification',
  'interventions',
  'interventions/:interventionId/answer',
  'outcome',
  'case-request',
  'closure',
] as const;
/** Case work: officers within the village the case belongs to. */
const CASE_COMMANDS = [
  'verification',
  'classification',
  'actions',
  'referrals',
  'actions/:actionId/outcome',
  'actions/:actionId/minutes',
  'notes',
  'evidence',
  'resolution',
  'suspension',
  'resumption',
] as const;
/** Every command on a placement: officers, within the village the placement belongs to. */
const PLACEMENT_COMMANDS = [
  'documents',
  'job-order-selection',
  'medical-clearance',
  'competency-certification',
  'placement-agreement',
  'social-security-enrollment',
  'documents-completion',
  'orientation',
  'departure',
  'arrival-report',
  'return',
  'withdrawal',
  'departure-failure',
  'non-procedural-flag',
] as const;

export const POLICY: readonly RoutePolicy[] = [
  { method: 'GET', path: '/health', access: 'public' },
  { method: 'POST', path: '/auth/login', access: 'public' },
  { method: 'GET', path: '/auth/me', access: 'authenticated' },

  { method: 'POST', path: '/users', access: ['admin'] },
  { method: 'GET', path: '/users', access: ['admin'] },
  { method: 'GET', path: '/users/:id', access: ['admin'] },
  { method: 'POST', path: '/users/:id/role', access: ['admin'] },
  { method: 'POST', path: '/users/:id/password', access: ['admin'] },
  { method: 'POST', path: '/users/:id/disable', access: ['admin'] },
  { method: 'POST', path: '/users/:id/enable', access: ['admin'] },

  { method: 'POST', path: '/subjects', access: ['officer'], scope: { from: 'body', field: 'areaCode' } },
  // Duplicate check by NIK: any officer or supervisor may learn that a person is already registered.
  { method: 'POST', path: '/subjects/lookup', access: ['officer', 'supervisor'] },
  { method: 'GET', path: '/subjects/:id', access: ['officer', 'supervisor', 'auditor'], scope: SUBJECT },
  { method: 'GET', path: '/subjects/:id/history', access: ['officer', 'supervisor', 'auditor'], scope: SUBJECT },
  { method: 'POST', path: '/subjects/:id/corrections', access: ['officer'], scope: SUBJECT },
  { method: 'POST', path: '/subjects/:id/legal-hold', access: ['supervisor', 'admin'], scope: SUBJECT },
  { method: 'POST', path: '/subjects/:id/legal-hold/release', access: ['supervisor', 'admin'], scope: SUBJECT },
  // Data-subject requests are the deploying organisation's duty (Law 27/2022): admins answer them.
  { method: 'POST', path: '/subjects/:id/erasure', access: ['admin'], scope: SUBJECT },
  { method: 'GET', path: '/subjects/:id/report', access: ['admin'], scope: SUBJECT },
  { method: 'POST', path: '/subjects/:id/consent-withdrawal', access: ['admin'], scope: SUBJECT },
  { method: 'POST', path: '/subjects/:id/requests', access: ['admin'], scope: SUBJECT },
  { method: 'GET', path: '/data-subject-requests', access: ['admin'] },
  { method: 'POST', path: '/data-subject-requests/:id/answer', access: ['admin'] },
  // Breaches are the deploying organisation's to record and notify: no personal content, subject ids only.
  { method: 'GET', path: '/breaches', access: ['admin'] },
  { method: 'POST', path: '/breaches', access: ['admin'] },
  { method: 'POST', path: '/breaches/:id/subjects', access: ['admin'] },
  { method: 'POST', path: '/breaches/:id/notices', access: ['admin'] },

  { method: 'POST', path: '/placements', access: ['officer'], scope: { from: 'body', field: 'areaCode' } },
  { method: 'GET', path: '/placements/:id', access: READERS, scope: PLACEMENT },
  { method: 'GET', path: '/placements/:id/history', access: READERS, scope: PLACEMENT },
  ...PLACEMENT_COMMANDS.map((command) => ({
    method: 'POST' as const,
    path: `/placements/:id/${command}`,
    access: ['officer'] as const,
    scope: PLACEMENT,
  })),
  // A warning sign on a document (a duplicate or second passport) is the supervisor's to resolve.
  { method: 'POST', path: '/placements/:id/warning-signs/:signId/resolution', access: ['supervisor'], scope: PLACEMENT },

  { method: 'POST', path: '/cases', access: ['officer'], scope: { from: 'body', field: 'areaCode' } },
  // Lists filter by the caller's territory themselves: every row is in scope by construction.
  { method: 'GET', path: '/cases', access: READERS },
  { method: 'GET', path: '/placements', access: READERS },
  { method: 'GET', path: '/preventions', access: READERS },
  { method: 'GET', path: '/worklist', access: ['officer', 'supervisor'] },
  // Aggregates, checked against the caller's territory by the report itself (the area is a query parameter).
  { method: 'GET', path: '/reports/indicators', access: ['supervisor', 'auditor'] },
  // The whole log's integrity: no event content in the answer, so any auditor.
  { method: 'GET', path: '/audit/verify', access: ['auditor'] },
  { method: 'GET', path: '/audit/seals', access: ['auditor'] },
  // Read models against the log: record ids at most, no content, so any auditor.
  { method: 'GET', path: '/audit/read-models', access: ['auditor'] },
  // Raw streams and cross-stream queries: auditors; the territory is checked against each stream's area.
  { method: 'GET', path: '/audit/streams/:stream', access: ['auditor'] },
  // A case file to take away: the territory is checked against the stream's area, the download logged.
  { method: 'GET', path: '/audit/streams/:stream/case-file', access: ['auditor'] },
  { method: 'GET', path: '/audit/events', access: ['auditor'] },
  { method: 'GET', path: '/audit/access', access: ['auditor'] },
  { method: 'GET', path: '/cases/:id/diff', access: READERS, scope: CASE },
  { method: 'GET', path: '/placements/:id/diff', access: READERS, scope: PLACEMENT },
  { method: 'GET', path: '/preventions/:id/diff', access: READERS, scope: PREVENTION },
  { method: 'GET', path: '/cases/:id', access: READERS, scope: CASE },
  { method: 'GET', path: '/cases/:id/history', access: READERS, scope: CASE },
  ...CASE_COMMANDS.map((command) => ({
    method: 'POST' as const,
    path: `/cases/:id/${command}`,
    access: ['officer'] as const,
    scope: CASE,
  })),
  // Supervisors share out the work and reopen; closure is theirs to approve, never the resolver's.
  { method: 'POST', path: '/cases/:id/assignment', access: ['officer', 'supervisor'], scope: CASE },
  { method: 'POST', path: '/cases/:id/reopening', access: ['officer', 'supervisor'], scope: CASE },
  { method: 'POST', path: '/cases/:id/closure-approval', access: ['supervisor'], scope: CASE },
  { method: 'POST', path: '/cases/:id/closure-rejection', access: ['supervisor'], scope: CASE },

  { method: 'POST', path: '/preventions', access: ['officer'], scope: { from: 'body', field: 'areaCode' } },
  { method: 'GET', path: '/preventions/:id', access: READERS, scope: PREVENTION },
  { method: 'GET', path: '/preventions/:id/history', access: READERS, scope: PREVENTION },
  ...PREVENTION_COMMANDS.map((command) => ({
    method: 'POST' as const,
    path: `/preventions/:id/${command}`,
    access: ['officer'] as const,
    scope: PREVENTION,
  })),

  // What the process managers could not do: each answer filtered to the caller's territory.
  { method: 'GET', path: '/links/failures', access: ['supervisor', 'auditor', 'admin'] },

  { method: 'GET', path: '/admin/projections', access: ['admin'] },
  { method: 'POST', path: '/admin/projections/:name/rebuild', access: ['admin'] },

  // Reference data: everyone who works with placements reads it; admins keep it.
  { method: 'GET', path: '/agencies', access: [...READERS, 'admin'] },
  { method: 'GET', path: '/agencies/:id', access: [...READERS, 'admin'] },
  { method: 'POST', path: '/agencies', access: ['admin'] },
  { method: 'POST', path: '/agencies/:id/renewal', access: ['admin'] },
  { method: 'POST', path: '/agencies/:id/revocation', access: ['admin'] },
  { method: 'POST', path: '/agencies/:id/recruitment-permits', access: ['admin'] },
  { method: 'GET', path: '/moratoriums', access: [...READERS, 'admin'] },
  { method: 'POST', path: '/moratoriums', access: ['admin'] },
  { method: 'POST', path: '/moratoriums/lifting', access: ['admin'] },
];
