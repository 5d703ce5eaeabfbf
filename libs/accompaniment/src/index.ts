export {
  ACTION_KINDS,
  CATEGORIES,
  CHANNELS,
  CaseRuleViolated,
  MONEY_OUTCOMES,
  OUTCOMES,
  REFERRAL_TARGETS,
  RELATIONSHIPS,
  URGENCIES,
  caseDecider,
  caseStream,
  decideCase,
  evolveCase,
  initialCaseState,
} from './case';
export type {
  ActionKind,
  ActionStatus,
  CaseAction,
  CaseCommand,
  CaseErrorCode,
  CaseEvent,
  CaseState,
  CaseStatus,
  Category,
  Channel,
  Outcome,
  ReferralTarget,
  Relationship,
  Urgency,
} from './case';
export { DEFAULT_DEADLINES, deadlinesAt, pendingDeadlines } from './deadlines';
export type { CaseDeadlines, Deadline, DeadlinePolicy, DeadlineTargets } from './deadlines';
