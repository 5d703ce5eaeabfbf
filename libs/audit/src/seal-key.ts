import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { sealMessage } from '@jejak/event-store';

/** The deployment's Ed25519 seal key: signs seals; its public half verifies them, online or offline. */
export interface SealKey {
  readonly privateKey?: KeyObject;
  readonly publicKey: KeyObject;
  /** The raw 32-byte public key, base64: what seals and bundles carry. */
  readonly publicKeyBase64: string;
  /** SHA-256 of the raw public key, hex, first 16 characters: what people compare when anchoring. */
  readonly fingerprint: string;
}

const rawPublic = (key: KeyObject): Buffer => Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');

/** The raw public key in base64, as seals carry it. */
export const publicKeyBase64 = (key: KeyObject): string => rawPublic(key).toString('base64');

function fromPrivate(privateKey: KeyObject): SealKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, ...describe(publicKey) };
}

function describe(publicKey: KeyObject): Omit<SealKey, 'privateKey'> {
  const raw = rawPublic(publicKey);
  return { publicKey, publicKeyBase64: raw.toString('base64'), fingerprint: createHash('sha256').update(raw).digest('hex').slice(0, 16) };
}

/** A public key from its raw base64 form (as seals and bundles carry it). */
export function publicSealKey(base64: string): Omit<SealKey, 'privateKey'> {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new Error('An Ed25519 public key is 32 bytes');
  return describe(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }));
}

/** Where the embedded default keeps its seal key, in the data directory. */
export const SEAL_KEY_FILE = 'seal-key.pem';

/**
 * The seal key: JEJAK_SEAL_KEY (a PKCS#8 PEM private key) when set, else `<dataDir>/seal-key.pem`,
 * generated (mode 0600) on first start. A deployment with several API replicas sets JEJAK_SEAL_KEY (or
 * shares the file) so that every process verifies against the same key.
 */
export function loadSealKey(options: { readonly pem?: string; readonly dataDir: string; readonly create: boolean }): SealKey {
  if (options.pem?.trim()) {
    try {
      return fromPrivate(createPrivateKey(options.pem.replace(/\\n/g, '\n')));
    } catch {
      throw new Error('JEJAK_SEAL_KEY is not a PKCS#8 PEM Ed25519 private key');
    }
  }
  const file = join(options.dataDir, SEAL_KEY_FILE);
  if (!existsSync(file)) {
    if (!options.create) throw new Error(`No seal key: set JEJAK_SEAL_KEY or start the API once to create ${file}`);
    mkdirSync(options.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  return fromPrivate(createPrivateKey(readFileSync(file, 'utf8')));
}

export function signSeal(key: SealKey, position: bigint, globalHash: string): string {
  if (!key.privateKey) throw new Error('This seal key has no private half');
  return sign(null, sealMessage(position, globalHash), key.privateKey).toString('base64');
}

export function sealSignatureValid(publicKey: KeyObject, position: bigint, globalHash: string, signature: string): boolean {
  try {
    return verify(null, sealMessage(position, globalHash), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
