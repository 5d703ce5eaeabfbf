import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'jwt-secret';

/**
 * The embedded default's signing secret: generated on first use into the data directory (mode 0600) and
 * read back afterwards, so the server and the `token` command agree without any configuration, and no
 * secret is ever hard-coded. Created exclusively, so two processes starting together end up with one.
 */
export function loadOrCreateSecret(dataDir: string): Uint8Array {
  const path = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(path, 'utf8').trim();
  if (text.length < 32) throw new Error(`${path} holds a secret shorter than 32 characters; delete it to regenerate`);
  return new TextEncoder().encode(text);
}
