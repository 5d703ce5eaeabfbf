export type {
  EnquiryChannel,
  EnquiryCommand,
  EnquiryErrorCode,
  EnquiryEvent,
  EnquiryOutcome,
  EnquiryState,
  Referral,
  ReferralTarget,
} from './enquiry';
export {
  checkReferral,
  decideEnquiry,
  ENQUIRY_CHANNELS,
  ENQUIRY_OUTCOMES,
  enquiryDecider,
  EnquiryRuleViolated,
  enquiryStream,
  evolveEnquiry,
  initialEnquiryState,
  REFERRAL_TARGETS,
} from './enquiry';
export type { SessionCommand, SessionErrorCode, SessionEvent, SessionState } from './session';
export { decideSession, evolveSession, initialSessionState, sessionDecider, SessionRuleViolated, sessionStream } from './session';
export type { TopicCatalog, TopicCommand, TopicEvent, TopicName } from './topics';
export { initialTopicCatalog, SEED_TOPICS, TOPIC_CODE, topicDecider, TopicRuleViolated, TOPICS_STREAM } from './topics';
