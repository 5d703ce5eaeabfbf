export { CredentialStore } from './credentials';
export { hashPassword, passwordProblem, verifyPassword } from './password';
export type { Background, LockoutPolicy, OfficerProfile, UserCommand, UserEvent, UserState } from './user';
export {
  BACKGROUNDS,
  BOTH_UNITS,
  decideUser,
  evolveUser,
  initialUserState,
  isLocked,
  scopeProblem,
  unitsOf,
  userDecider,
  userIdFor,
  USERNAME,
  UserRuleViolated,
  userStream,
} from './user';
