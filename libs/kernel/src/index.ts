export { JejakError, NotFound, RuleViolated, isJejakError } from './errors';
export type { ErrorKind, FieldError } from './errors';
export { parseScope, formatScope, scopeCovers } from './territory';
export type { Scope, ScopeLevel } from './territory';
export { ROLES, occurredAt } from './request-context';
export type { Actor, Role, RequestContext } from './request-context';
export { PROVINCE_CODES, nikProblem } from './nik';
export { deterministicUuid } from './ids';
export { isWellFormedText } from './text';
