import type { Type } from '@nestjs/common';

import { CONTEXT_MODULES, PLATFORM_CONTROLLERS } from '../app.module';
import { type Access, policyOf, type RoutePolicy } from './rules';

export type { Access, HttpMethod, RoutePolicy, ScopeRule } from './rules';

function controllersOf(modules: readonly Type[]): Type[] {
  return modules.flatMap((module) => (Reflect.getMetadata('controllers', module) as Type[] | undefined) ?? []);
}

/** Every route of the API with the access its handler declares (`undefined` where it declares nothing). */
export const ROUTES: readonly (Omit<RoutePolicy, 'access'> & { access?: Access })[] = policyOf([
  ...PLATFORM_CONTROLLERS,
  ...controllersOf(CONTEXT_MODULES),
]);

/**
 * The policy table: who may call what, read back from the `@Allow` declarations on the routes. The access
 * test generates its route x role x scope matrix from it.
 */
export const POLICY: readonly RoutePolicy[] = ROUTES.filter((route): route is RoutePolicy => route.access !== undefined);
