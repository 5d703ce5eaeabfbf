export type { LinkDeps, LinkStepFailure } from './links';
export {
  caseLinksPlacement,
  departureOpensCase,
  flaggedPlacementOpensPrevention,
  LINK_MANAGERS,
  LINK_STEP_FAILED,
  linkFailureStream,
  linkManagers,
  redirectionRegistersPlacement,
  registrationFacts,
} from './links';
export type { Cause, Reaction, RegistrationFacts } from './reactions';
export * as reactions from './reactions';
