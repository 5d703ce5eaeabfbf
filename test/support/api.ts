import type { INestApplication, Type } from '@nestjs/common';
import { signToken } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import type { DatabaseConfig } from '@jejak/event-store';
import { freshDirectory, freshPostgresDatabase, type Disposable } from '@jejak/testing';
import type { Role } from '@jejak/kernel';
import { parseScope } from '@jejak/kernel';
import { createApp } from '../../apps/api/src/app';

export const TEST_SECRET = new TextEncoder().encode('e2e-secret-that-is-long-enough-for-hs256!!');

export interface TestApi {
  readonly app: INestApplication;
  readonly config: JejakConfig;
  token(sub: string, role: Role, ...scopes: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The real API over a real database: a fresh PGlite directory, or a fresh PostgreSQL database. */
export async function startTestApi(kind: 'pglite' | 'postgres', modules: readonly Type[] = []): Promise<TestApi> {
  let disposable: Disposable<string>;
  let database: DatabaseConfig;
  if (kind === 'pglite') {
    disposable = await freshDirectory();
    database = { kind: 'pglite', dataDir: disposable.value };
  } else {
    disposable = await freshPostgresDatabase();
    database = { kind: 'postgres', connectionString: disposable.value };
  }
  const config: JejakConfig = {
    port: 0,
    dataDir: kind === 'pglite' ? disposable.value : '/nonexistent',
    database,
    jwt: { mode: 'hs256', secret: TEST_SECRET },
    limits: {},
  };
  const app = await createApp(config, { modules, logger: false });
  return {
    app,
    config,
    token: (sub, role, ...scopes) => signToken(TEST_SECRET, { sub, role, scopes: scopes.map((s) => parseScope(s)!) }),
    close: async () => {
      await app.close();
      await disposable.dispose();
    },
  };
}
