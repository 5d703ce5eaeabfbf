export { departureOpensCase, flaggedPlacementOpensPrevention, linkManagers, redirectionRegistersPlacement, registrationFacts } from './links';
export type { LinkDeps } from './links';
