export { ageOn, isCalendarDate } from './dates';
export type { CalendarDate } from './dates';
export {
  AgencyRuleViolated,
  agencyDecider,
  agencyStream,
  decideAgency,
  evolveAgency,
  initialAgencyState,
  licenceValidOn,
  permitOn,
} from './agency';
export type { AgencyCommand, AgencyEvent, AgencyState, RecruitmentPermit } from './agency';
export {
  KEPMENAKER_260_2015,
  MORATORIUM_STREAM,
  MoratoriumRuleViolated,
  SECTORS,
  SEED_MORATORIUM,
  decideMoratorium,
  evolveMoratorium,
  initialMoratoriumState,
  moratoriumDecider,
  underMoratoriumOn,
  jobOrderUnderMoratoriumOn,
  EMPLOYER_TYPES,
  employerTypeOf,
  moratoriumEventWithDate,
  KEPMENAKER_260_2015_IN_FORCE,
  SEED_CORRELATION,
} from './moratorium';
export type { EmployerType, MoratoriumCommand, MoratoriumEvent, MoratoriumPeriod, MoratoriumState, Sector } from './moratorium';
export {
  DOCUMENT_KINDS,
  MILESTONES,
  PlacementRuleViolated,
  decidePlacement,
  evolvePlacement,
  initialPlacementState,
  placementDecider,
  placementStream,
  stageOf,
  INTAKE_DOCUMENTS,
  missingDocuments,
  WARNING_SIGNS,
} from './placement';
export type {
  DocumentKind,
  JobOrder,
  JobOrderChecks,
  Milestone,
  PlacementCommand,
  PlacementDocument,
  PlacementErrorCode,
  PlacementEvent,
  PlacementState,
  PlacementStatus,
  WarningSign,
} from './placement';
