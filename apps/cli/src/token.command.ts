import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { signToken } from '@jejak/auth';
import { ConfigError, jwtConfig } from '@jejak/config';
import { parseScope, type Role, ROLES, type Scope, type Unit, UNITS } from '@jejak/kernel';

export const TOKEN_USAGE = `usage: token --sub <id> --role <${ROLES.join('|')}> [--scope <scope>]... [--unit <${UNITS.join('|')}>]... [--ttl 12h]
  scope: national | province:32 | regency:3201 | district:320101 | village:3201012001`;

/**
 * Prints a token signed with the server's own secret (JEJAK_JWT_SECRET, or the one in JEJAK_DATA_DIR that the
 * embedded default generated), alone on stdout so that scripts can capture it.
 */
export async function tokenCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sub: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '12h' },
    },
    strict: true,
  });
  if (!values.sub) throw new ConfigError(`--sub is required\n${TOKEN_USAGE}`);
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
    throw new ConfigError(`--role must be one of ${ROLES.join(', ')}\n${TOKEN_USAGE}`);
  }
  const scopes: Scope[] = [];
  for (const text of (values.scope ?? []).flatMap((s) => s.split(/[ ,]+/)).filter(Boolean)) {
    const scope = parseScope(text);
    if (!scope) throw new ConfigError(`--scope "${text}" is not a scope\n${TOKEN_USAGE}`);
    scopes.push(scope);
  }
  const units = values.unit ?? [];
  if (units.some((u) => !(UNITS as readonly string[]).includes(u)))
    throw new ConfigError(`--unit must be one of ${UNITS.join(', ')}\n${TOKEN_USAGE}`);
  if (units.length > 0 && values.role !== 'officer') throw new ConfigError(`--unit is for officers only\n${TOKEN_USAGE}`);
  if (!/^\d+[smhd]$/.test(values.ttl)) throw new ConfigError('--ttl must look like 30m, 12h or 7d');
  const dataDir = resolve(env.JEJAK_DATA_DIR?.trim() || 'data');
  const jwt = jwtConfig(env, dataDir, true);
  if (!jwt.secret) {
    throw new ConfigError('This deployment has no JEJAK_JWT_SECRET: get tokens from its identity provider');
  }
  return signToken(
    jwt.secret,
    { sub: values.sub, role: values.role as Role, scopes, ...(units.length > 0 ? { units: units as Unit[] } : {}) },
    { expiresIn: values.ttl, ...(jwt.issuer ? { issuer: jwt.issuer } : {}), ...(jwt.audience ? { audience: jwt.audience } : {}) },
  );
}
