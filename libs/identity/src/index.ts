export { CredentialStore } from './credentials';
export { hashPassword, passwordProblem, verifyPassword } from './password';
export type { LockoutPolicy, UserCommand, UserEvent, UserState } from './user';
export {
  decideUser,
  evolveUser,
  initialUserState,
  isLocked,
  scopeProblem,
  userDecider,
  userIdFor,
  USERNAME,
  UserRuleViolated,
  userStream,
} from './user';
