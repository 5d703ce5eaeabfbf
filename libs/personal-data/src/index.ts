export { ERASED, PersonalDataVault, SubjectKeyDestroyed } from './vault';
export type { IdentifierKind, SealedFields } from './vault';
export { MASTER_KEY_FILE, loadOrCreateMasterKey, parseMasterKey } from './master-key';
export {
  PERSONAL_FIELDS,
  SUBJECT_KINDS,
  SubjectRuleViolated,
  decideSubject,
  evolveSubject,
  initialSubjectState,
  subjectDecider,
  subjectStream,
} from './subject';
export type { LegalHold, PersonalField, SubjectCommand, SubjectEvent, SubjectKind, SubjectState } from './subject';
