/**
 * Territorial scopes follow Indonesia's administrative codes (Kemendagri): province 2 digits, regency/city 4,
 * district 6, village 10. Written without dots in scopes (`village:3201012001`), as in the JWT claims.
 */
export type ScopeLevel = 'national' | 'province' | 'regency' | 'district' | 'village';

export type Scope = { readonly level: 'national' } | { readonly level: Exclude<ScopeLevel, 'national'>; readonly code: string };

const CODE_LENGTH: Record<Exclude<ScopeLevel, 'national'>, number> = {
  province: 2,
  regency: 4,
  district: 6,
  village: 10,
};

/** Parses `national` or `<level>:<digits>`; returns undefined when the text is not a valid scope. */
export function parseScope(text: string): Scope | undefined {
  if (text === 'national') return { level: 'national' };
  const match = /^(province|regency|district|village):(\d+)$/.exec(text);
  if (!match) return undefined;
  const level = match[1] as Exclude<ScopeLevel, 'national'>;
  const code = match[2]!;
  return code.length === CODE_LENGTH[level] ? { level, code } : undefined;
}

export function formatScope(scope: Scope): string {
  return scope.level === 'national' ? 'national' : `${scope.level}:${scope.code}`;
}

/** True when `scope` reaches the area with administrative code `areaCode` (any level, digits only). */
export function scopeCovers(scope: Scope, areaCode: string): boolean {
  if (scope.level === 'national') return true;
  return areaCode.startsWith(scope.code);
}
