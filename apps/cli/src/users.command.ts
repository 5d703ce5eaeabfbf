import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig, storeOptions } from '@jejak/config';
import { eventMetadata, execute, openEventStore } from '@jejak/event-store';
import { CredentialStore, hashPassword, passwordProblem, userDecider, userIdFor, USERNAME, userStream } from '@jejak/identity';
import { envelopeOf, localDay } from '@jejak/kernel';

export const USERS_USAGE = `usage: users create-admin --username <name> [--password-stdin]
  Without --password-stdin a strong password is generated and printed once.
  The embedded store belongs to one process: stop the API first (PostgreSQL deployments need not).`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Creates the first admin (or another one) directly in the event store, recorded as done by the CLI. */
export async function usersCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const [sub, ...rest] = argv;
  if (sub !== 'create-admin') throw new ConfigError(USERS_USAGE);
  const { values } = parseArgs({
    args: [...rest],
    options: { username: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false } },
    strict: true,
  });
  const username = values.username?.toLowerCase();
  if (!username || !USERNAME.test(username)) throw new ConfigError(`--username must be 3-64 of a-z 0-9 . _ -\n${USERS_USAGE}`);
  const generated = !values['password-stdin'];
  const password = generated ? randomBytes(18).toString('base64url') : await readStdin();
  const problem = passwordProblem(password, username);
  if (problem) throw new ConfigError(`The password ${problem}`);

  const config = loadConfig(env);
  const { store, db, close } = await openEventStore(config.database, storeOptions(config));
  try {
    const userId = userIdFor(username);
    const credentials = await CredentialStore.create(db);
    const credentialId = await credentials.put(userId, await hashPassword(password));
    const context = {
      correlationId: `cli-${randomBytes(8).toString('hex')}`,
      actor: { id: 'cli', role: 'admin' as const, scopes: [{ level: 'national' as const }] },
      now: new Date(),
    };
    await execute(
      store,
      userStream(userId),
      userDecider,
      {
        type: 'CreateUser',
        userId,
        username,
        role: 'admin',
        scopes: ['national'],
        credentialId,
        ...envelopeOf(context, localDay(config.timeZone)),
      },
      {
        metadata: eventMetadata(context),
      },
    ).catch(async (error: unknown) => {
      await credentials.discard(credentialId);
      throw error;
    });
    return generated
      ? `created admin ${username} (${userId})\npassword: ${password}\nlog in with POST /auth/login and change it`
      : `created admin ${username} (${userId})`;
  } finally {
    await close();
  }
}
