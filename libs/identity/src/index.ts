export { hashPassword, passwordProblem, verifyPassword } from './password';
export {
  USERNAME,
  UserRuleViolated,
  decideUser,
  evolveUser,
  initialUserState,
  isLocked,
  scopeProblem,
  userDecider,
  userIdFor,
  userStream,
} from './user';
export type { LockoutPolicy, UserCommand, UserEvent, UserState } from './user';
export { CredentialStore } from './credentials';
