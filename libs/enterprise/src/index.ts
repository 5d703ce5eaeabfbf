export type {
  BusinessCommand,
  BusinessErrorCode,
  BusinessEvent,
  BusinessSector,
  BusinessState,
  BusinessStatus,
  Month,
  Volume,
} from './business';
export {
  BUSINESS_SECTORS,
  BUSINESS_STATUSES,
  businessDecider,
  BusinessRuleViolated,
  businessStream,
  decideBusiness,
  evolveBusiness,
  initialBusinessState,
} from './business';
export type {
  ConsultationCommand,
  ConsultationErrorCode,
  ConsultationEvent,
  ConsultationState,
  ConsultationTopic,
  ConsultedAgency,
} from './consultation';
export { CONSULTATION_TOPICS, consultationDecider, ConsultationRuleViolated, consultationStream, CONSULTED_AGENCIES } from './consultation';
export type { GroupCommand, GroupErrorCode, GroupEvent, GroupState, LegalStatus } from './group';
export { decideGroup, evolveGroup, groupDecider, GroupRuleViolated, groupStream, initialGroupState, LEGAL_STATUSES } from './group';
export type { KurAmountCounted, KurCommand, KurErrorCode, KurEvent, KurScheme, KurState, KurStatus, RepaymentStatus } from './kur';
export {
  decideKur,
  evolveKur,
  initialKurState,
  KUR_SCHEMES,
  KUR_STATUSES,
  kurDecider,
  KurRuleViolated,
  kurStatisticsStream,
  kurStream,
  REPAYMENT_STATUSES,
} from './kur';
