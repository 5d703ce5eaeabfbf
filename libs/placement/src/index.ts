export type { AgencyCommand, AgencyEvent, AgencyState, RecruitmentPermit } from './agency';
export {
  agencyDecider,
  AgencyRuleViolated,
  agencyStream,
  decideAgency,
  evolveAgency,
  initialAgencyState,
  licenceValidOn,
  permitOn,
} from './agency';
export type { CalendarDate } from './dates';
export { ageOn, isCalendarDate } from './dates';
export type { EmployerType, MoratoriumCommand, MoratoriumEvent, MoratoriumPeriod, MoratoriumState, Sector } from './moratorium';
export {
  decideMoratorium,
  EMPLOYER_TYPES,
  employerTypeOf,
  evolveMoratorium,
  initialMoratoriumState,
  jobOrderUnderMoratoriumOn,
  KEPMENAKER_260_2015,
  KEPMENAKER_260_2015_IN_FORCE,
  MORATORIUM_STREAM,
  moratoriumDecider,
  moratoriumEventWithDate,
  MoratoriumRuleViolated,
  SECTORS,
  SEED_CORRELATION,
  SEED_MORATORIUM,
  underMoratoriumOn,
} from './moratorium';
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
export {
  decidePlacement,
  DOCUMENT_KINDS,
  evolvePlacement,
  initialPlacementState,
  INTAKE_DOCUMENTS,
  MILESTONES,
  missingDocuments,
  PLACEMENT_STATUSES,
  placementDecider,
  PlacementRuleViolated,
  placementStream,
  stageOf,
  WARNING_SIGNS,
} from './placement';
