export {
  LINK_MANAGERS,
  LINK_STEP_FAILED,
  caseLinksPlacement,
  departureOpensCase,
  flaggedPlacementOpensPrevention,
  linkFailureStream,
  linkManagers,
  redirectionRegistersPlacement,
  registrationFacts,
} from './links';
export type { LinkDeps, LinkStepFailure } from './links';
