import { type KeyObject, sign, verify } from 'node:crypto';

import type { SealData } from './chain';
import { publicSealKey, type SealKey, sealSignatureValid } from './seal-key';

/**
 * Seal-key rotation. A rotation is a seal like any other (signed by the key in effect, over the global head)
 * that also names the next key, with two more signatures over the same head and the next key: the retiring
 * key's (it hands over) and the next key's (whoever introduced it holds it). Verification follows the keys
 * from the first seal: each seal must be signed by the key in effect where it stands in the seal stream.
 * A seal signed by any other key, or a rotation missing either signature, is `bad_signature`.
 */
export const SEAL_KEY_ROTATED_EVENT = 'SealKeyRotated';

export interface SealKeyRotation extends SealData {
  /** The key that signs every seal after this one (raw Ed25519 public key, base64). */
  readonly nextKey: string;
  /** The retiring key's signature over `rotationMessage`. */
  readonly rotation: string;
  /** The next key's signature over `rotationMessage`. */
  readonly endorsement: string;
}

export const rotationMessage = (position: string, globalHash: string, nextKey: string): Buffer =>
  Buffer.from(`jejak-seal-key-rotation/1\n${position}\n${globalHash}\n${nextKey}`, 'utf8');

export const isRotation = (seal: SealData): seal is SealKeyRotation => typeof seal.nextKey === 'string';

/** The key that signs the next seal after this one: the one a rotation names, else the seal's own. */
export const keyAfter = (seal: SealData): string => (isRotation(seal) ? seal.nextKey : seal.publicKey);

/** The two signatures a rotation adds to a seal of `position` and `globalHash`, made by both keys. */
export function signRotation(
  retiring: SealKey,
  next: SealKey,
  position: string,
  globalHash: string,
): Pick<SealKeyRotation, 'nextKey' | 'rotation' | 'endorsement'> {
  if (!retiring.privateKey || !next.privateKey) throw new Error('A rotation is signed by both keys: both private halves are needed');
  const message = rotationMessage(position, globalHash, next.publicKeyBase64);
  return {
    nextKey: next.publicKeyBase64,
    rotation: sign(null, message, retiring.privateKey).toString('base64'),
    endorsement: sign(null, message, next.privateKey).toString('base64'),
  };
}

const signatureValid = (key: KeyObject, message: Buffer, signature: unknown): boolean => {
  try {
    return typeof signature === 'string' && verify(null, message, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Walks the seal stream in order: `check` says what is wrong with a seal (null: nothing) and moves to the
 * next key after a sound rotation. The first seal's key starts the chain; `trusts` then says whether a
 * key (the deployment's, or the one an auditor anchored) is part of it.
 */
export class SealKeyChain {
  private current: string | undefined;
  private readonly known = new Map<string, KeyObject>();
  /** The keys in the order they took effect (base64). */
  readonly keys: string[] = [];

  check(seal: SealData): string | null {
    const where = `the seal of position ${seal.position}`;
    if (this.current === undefined) {
      if (typeof seal.publicKey !== 'string') return `${where} names no key`;
      this.current = seal.publicKey;
      this.keys.push(seal.publicKey);
    }
    if (seal.publicKey !== this.current) return `${where} is signed by a key that no rotation introduced`;
    const key = this.key(this.current);
    if (!key || !sealSignatureValid(key, BigInt(seal.position), seal.globalHash, seal.signature))
      return `${where} is not signed by the seal key in effect`;
    if (isRotation(seal)) {
      const next = this.key(seal.nextKey);
      const message = rotationMessage(seal.position, seal.globalHash, seal.nextKey);
      if (!next) return `the key rotation at position ${seal.position} names no Ed25519 key`;
      if (!signatureValid(key, message, seal.rotation))
        return `the key rotation at position ${seal.position} is not signed by the key it retires`;
      if (!signatureValid(next, message, seal.endorsement))
        return `the key rotation at position ${seal.position} is not signed by the key it introduces`;
      this.current = seal.nextKey;
      this.keys.push(seal.nextKey);
    }
    return null;
  }

  /** Whether `publicKey` (base64) began the chain or a rotation in it introduced it. */
  trusts(publicKey: string): boolean {
    return this.keys.includes(publicKey);
  }

  private key(base64: string): KeyObject | undefined {
    let key = this.known.get(base64);
    if (!key) {
      try {
        key = publicSealKey(base64).publicKey;
      } catch {
        return undefined;
      }
      this.known.set(base64, key);
    }
    return key;
  }
}

/**
 * Each seal's verdict, by the position of the seal event itself: the key chain walked over the whole seal
 * stream, and, when the chain does not include the trusted key, its first seal refused for that.
 */
export function sealVerdicts(
  seals: readonly { readonly at: string; readonly seal: SealData }[],
  trusted: string,
): Map<string, string | null> {
  const chain = new SealKeyChain();
  const verdicts = new Map<string, string | null>();
  for (const { at, seal } of seals) verdicts.set(at, chain.check(seal));
  if (seals.length > 0 && !chain.trusts(trusted) && verdicts.get(seals[0]!.at) === null)
    verdicts.set(seals[0]!.at, `the seals are not signed by this deployment's key, nor by a key that rotations lead to it from`);
  return verdicts;
}
