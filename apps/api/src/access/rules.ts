import { type Role, type Unit } from '@jejak/kernel';
import { SetMetadata, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

/**
 * Who may call what, declared on each route beside its handler with `@Allow(...)`. The guard enforces it,
 * a route that declares nothing is refused (fail closed), and the policy table the test suite generates its
 * route x role x scope matrix from is read back from these declarations (`policyOf`).
 *
 * - officer: reads and writes within their villages;
 * - supervisor: reads within their region, approves within it;
 * - auditor: reads within their scope, writes nothing;
 * - admin: users, reference data, data-subject requests; no case content unless also given another role.
 *
 * A context's routes may also name the officers' unit that records their work (`@RecordedBy`): an officer
 * outside that unit may read the records but not write them.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Access = 'public' | 'authenticated' | readonly Role[];

/** Where the area (administrative code) that the actor's scopes must cover comes from. */
export type ScopeRule =
  /** A field of the JSON body, e.g. the village a new record belongs to. */
  | { readonly from: 'body'; readonly field: string }
  /** The data subject named by a route parameter. */
  | { readonly from: 'subject'; readonly param: string }
  /** The placement named by a route parameter: it belongs to the worker's village. */
  | { readonly from: 'placement'; readonly param: string }
  /** The case named by a route parameter: it belongs to the village that took it. */
  | { readonly from: 'case'; readonly param: string }
  /** The prevention record named by a route parameter: it belongs to the village where recruitment happens. */
  | { readonly from: 'prevention'; readonly param: string }
  /** The community named by a route parameter: it belongs to its own village. */
  | { readonly from: 'community'; readonly param: string }
  /** The dissemination session named by a route parameter: it belongs to the village where it was held. */
  | { readonly from: 'session'; readonly param: string }
  /** The enquiry named by a route parameter: it belongs to the village that received it. */
  | { readonly from: 'enquiry'; readonly param: string }
  /** A business unit, a business group or a consultation named by a route parameter: each belongs to its village. */
  | { readonly from: 'business' | 'group' | 'consultation'; readonly param: string }
  /** A KUR application named by a route parameter: it belongs to the applicant's village. */
  | { readonly from: 'kur'; readonly param: string };

export interface AccessRule {
  readonly access: Access;
  readonly scope?: ScopeRule;
}

/** The one officers' unit whose officers may call a writing route (officers of the other unit may not). */
export interface UnitRule {
  readonly unit?: Unit;
}

export interface RoutePolicy extends AccessRule, UnitRule {
  readonly method: HttpMethod;
  /** Express route pattern, as Nest registers it. */
  readonly path: string;
}

/** Officers, supervisors and auditors: everyone who reads the work within their territory. */
export const READERS = ['officer', 'supervisor', 'auditor'] as const satisfies readonly Role[];
/** The record named by `:id` must lie within one of the caller's scopes. */
export const IN_SUBJECT = { from: 'subject', param: 'id' } as const;
export const IN_PLACEMENT = { from: 'placement', param: 'id' } as const;
export const IN_CASE = { from: 'case', param: 'id' } as const;
export const IN_PREVENTION = { from: 'prevention', param: 'id' } as const;
export const IN_COMMUNITY = { from: 'community', param: 'id' } as const;
export const IN_SESSION = { from: 'session', param: 'id' } as const;
export const IN_ENQUIRY = { from: 'enquiry', param: 'id' } as const;
export const IN_BUSINESS = { from: 'business', param: 'id' } as const;
export const IN_GROUP = { from: 'group', param: 'id' } as const;
export const IN_CONSULTATION = { from: 'consultation', param: 'id' } as const;
export const IN_KUR = { from: 'kur', param: 'id' } as const;
/** A new record: the village it is created in (`areaCode` of the body) must lie within the caller's scopes. */
export const IN_BODY_AREA = { from: 'body', field: 'areaCode' } as const;

export const ACCESS_RULE = 'jejak:access';

/** The route's access rule: `'public'`, `'authenticated'`, or the roles allowed, with the scope they must cover. */
export const Allow = (access: Access, scope?: ScopeRule): MethodDecorator & ClassDecorator =>
  SetMetadata<string, AccessRule>(ACCESS_RULE, scope ? { access, scope } : { access });

export const UNIT_RULE = 'jejak:unit';

/**
 * The officers' unit that records this context's work: its writing routes (anything but GET) refuse an
 * officer who does not work in it, with 403 UNIT_NOT_ALLOWED. Reading stays open to every officer.
 */
export const RecordedBy = (unit: Unit): MethodDecorator & ClassDecorator => SetMetadata<string, Unit>(UNIT_RULE, unit);

/** Whether the unit rule applies to a request with this method: only writes are a unit's to record. */
export const isWrite = (method: string): boolean => method !== 'GET' && method !== 'HEAD';

const METHODS: Record<number, HttpMethod> = { 0: 'GET', 1: 'POST', 2: 'PUT', 3: 'DELETE', 4: 'PATCH' };

function join(...parts: string[]): string {
  const path = parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${path}`;
}

/**
 * The policy table, read from the controllers' route declarations: one row per route, `access` undefined
 * where a route declares nothing (the guard refuses it).
 */
export function policyOf(controllers: readonly Type[]): readonly (Omit<RoutePolicy, 'access'> & { access?: Access })[] {
  const rows: (Omit<RoutePolicy, 'access'> & { access?: Access })[] = [];
  for (const controller of controllers) {
    const prefix = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const byClass = Reflect.getMetadata(ACCESS_RULE, controller) as AccessRule | undefined;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      // Read the descriptor, not the property: a getter on the prototype must not run here.
      const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
      if (path === undefined || method === undefined) continue;
      const rule = (Reflect.getMetadata(ACCESS_RULE, handler) as AccessRule | undefined) ?? byClass;
      const verb = METHODS[method] ?? 'GET';
      const unit =
        (Reflect.getMetadata(UNIT_RULE, handler) as Unit | undefined) ?? (Reflect.getMetadata(UNIT_RULE, controller) as Unit | undefined);
      rows.push({ method: verb, path: join(prefix, path), ...rule, ...(unit && isWrite(verb) ? { unit } : {}) });
    }
  }
  return rows;
}
