import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MASTER_KEY_FILE = 'master-key';

/** Parses a base64 (or base64url) master key; it must be exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer | undefined {
  const key = Buffer.from(text.trim(), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * The embedded default's master key: generated on first start into the data directory (mode 0600). Losing
 * it makes every personal field unreadable, so it belongs in the same backup as the data, kept apart.
 */
export function loadOrCreateMasterKey(dataDir: string): Buffer {
  const path = join(dataDir, MASTER_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = parseMasterKey(readFileSync(path, 'utf8'));
  if (!key) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return key;
}
