export { ERASED, PersonalDataVault, SubjectKeyDestroyed } from './vault';
export type { IdentifierKind, SealedFields } from './vault';
export { MASTER_KEY_FILE, loadOrCreateMasterKey, parseMasterKey } from './master-key';
export {
  PERSONAL_FIELDS,
  PURPOSES,
  SUBJECT_KINDS,
  consentStands,
  SubjectRuleViolated,
  decideSubject,
  evolveSubject,
  initialSubjectState,
  subjectDecider,
  subjectStream,
} from './subject';
export type { LegalHold, PersonalField, Purpose, SubjectCommand, SubjectEvent, SubjectKind, SubjectState } from './subject';
export {
  ANSWER_HOURS,
  BREACH_CAUSES,
  BREACH_DATA,
  NOTICE_RECIPIENTS,
  PrivacyRuleViolated,
  REQUEST_KINDS,
  REQUEST_OUTCOMES,
  breachDecider,
  breachNoticeOverdue,
  breachStream,
  dataSubjectRequestStream,
  requestDecider,
  requestOverdue,
} from './privacy';
export type { BreachEvent, BreachState, RequestEvent, RequestKind, RequestOutcome, RequestState } from './privacy';
