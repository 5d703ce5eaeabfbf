export type { BackupManifest, RestoreResult, RestoreTarget } from './backup';
export { backupEmbedded, backupPostgres, BackupRefused, packBackup, restoreEmbedded, restorePostgres, unpackBackup } from './backup';
export { loadOrCreateMasterKey, MASTER_KEY_FILE, parseMasterKey } from './master-key';
export type { BreachEvent, BreachState, RequestEvent, RequestKind, RequestOutcome, RequestState } from './privacy';
export {
  ANSWER_HOURS,
  BREACH_CAUSES,
  BREACH_DATA,
  breachDecider,
  breachNoticeOverdue,
  breachStream,
  dataSubjectRequestStream,
  NOTICE_RECIPIENTS,
  PrivacyRuleViolated,
  REQUEST_KINDS,
  REQUEST_OUTCOMES,
  requestDecider,
  requestOverdue,
} from './privacy';
export type { LegalHold, PersonalField, Purpose, SubjectCommand, SubjectEvent, SubjectKind, SubjectState } from './subject';
export {
  consentStands,
  decideSubject,
  evolveSubject,
  initialSubjectState,
  PERSONAL_FIELDS,
  PURPOSES,
  SUBJECT_KINDS,
  subjectDecider,
  SubjectRuleViolated,
  subjectStream,
} from './subject';
export type { IdentifierKind, SealedFields } from './vault';
export { ERASED, PersonalDataVault, SubjectKeyDestroyed } from './vault';
