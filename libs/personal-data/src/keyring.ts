import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

import { deriveKey, open, seal } from './crypto';

/**
 * The subject keyring: the small secrets that wrap every data subject's key, kept where no database keeps
 * a history of them.
 *
 * Why: a database never forgets a row for sure. PostgreSQL (and PGlite) write every row into the
 * write-ahead log and keep old row versions in heap pages, so a subject key wrapped with the master key and
 * stored in a table can be opened again from a copy of the database files long after erasure nulled it.
 * So subject keys are wrapped with one of 256 bucket secrets, and those secrets live here, in a fixed-size
 * file that is overwritten in place. Erasing a subject re-wraps the other keys of its bucket under a new
 * bucket secret and then overwrites the old secret: every copy of the erased key that the database still
 * holds (table, WAL, backups) is wrapped under a secret that no longer exists anywhere.
 *
 * Layout: a 32-byte header (magic, keyring id), then for each bucket two slots of 64 bytes:
 * generation (uint32, 0 = empty) and the secret sealed with a key derived from the master key.
 * A slot holds the current secret; the other one is used while a rotation is under way, so that a crash
 * at any moment leaves a secret for whatever the database committed.
 *
 * Limits, said in the README: overwriting in place destroys the old bytes on ordinary file systems
 * (ext4, xfs); copy-on-write file systems and snapshots keep old blocks; backups of this file keep old
 * secrets for as long as they are kept.
 */
export const BUCKETS = 256;
const MAGIC = Buffer.from('JEJAKKR1', 'ascii');
const HEADER = 32;
const SLOT = 64;
const SEALED = 60; // 32-byte secret + 12-byte iv + 16-byte tag
const FILE_BYTES = HEADER + BUCKETS * 2 * SLOT;

export interface KeyringSecret {
  readonly generation: number;
  readonly secret: Buffer;
}

/** Which bucket a subject's key is wrapped in: fixed by the subject id. */
export function bucketOf(subjectId: string): number {
  return createHash('sha256').update(subjectId).digest()[0]!;
}

export class Keyring {
  private slots: (KeyringSecret | undefined)[][] = [];
  private readonly wrapping: Buffer;
  private memory: Buffer | undefined;

  private constructor(
    /** The file, or undefined for an in-memory keyring (tests, and stores that are themselves in memory). */
    readonly path: string | undefined,
    masterKey: Buffer,
    /** Random, set when the keyring is made; the database records its digest so a wrong file is refused. */
    public id: string = '',
  ) {
    this.wrapping = deriveKey(masterKey, 'subject-keyring');
  }

  /** Opens the keyring, creating it (with a fresh secret per bucket) when `create` allows and it is absent. */
  static open(path: string | undefined, masterKey: Buffer, create: boolean): Keyring {
    const keyring = new Keyring(path, masterKey);
    if (path === undefined) {
      keyring.memory = Buffer.alloc(FILE_BYTES);
      keyring.initialise();
    } else if (!existsSync(path)) {
      if (!create) throw new KeyringMissing(path);
      mkdirSync(dirname(path), { recursive: true });
      keyring.memory = Buffer.alloc(FILE_BYTES);
      keyring.initialise();
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, keyring.memory, 0, FILE_BYTES, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      keyring.memory = undefined;
      syncDirectory(dirname(path));
    }
    keyring.reload();
    return keyring;
  }

  /** The digest the database keeps, to refuse a keyring file that is not the one its keys were wrapped with. */
  get fingerprint(): string {
    return createHash('sha256').update(`jejak-keyring:${this.id}`).digest('hex');
  }

  /** The secret of a bucket's generation, reading the file again once if another process rotated it. */
  secret(bucket: number, generation: number): Buffer | undefined {
    const find = () => this.slots[bucket]?.find((s) => s?.generation === generation)?.secret;
    const known = find();
    if (known) return known;
    this.reload();
    return find();
  }

  generations(bucket: number): number[] {
    return (this.slots[bucket] ?? []).flatMap((s) => (s ? [s.generation] : []));
  }

  /** Writes a new secret for the bucket into the slot not holding `keep`; durable before it returns. */
  addGeneration(bucket: number, keep: number): KeyringSecret {
    this.reload();
    const slots = this.slots[bucket]!;
    const index = slots[0]?.generation === keep ? 1 : 0;
    const generation = Math.max(keep, ...this.generations(bucket)) + 1;
    const fresh = { generation, secret: randomBytes(32) };
    this.write(bucket, index, fresh);
    return fresh;
  }

  /** Overwrites every slot of the bucket whose generation is not `keep` with zeros, durably. */
  destroyOthers(bucket: number, keep: number): void {
    this.reload();
    for (const index of [0, 1]) {
      const slot = this.slots[bucket]![index];
      if (slot && slot.generation !== keep) this.write(bucket, index, undefined);
    }
  }

  private initialise(): void {
    MAGIC.copy(this.memory!, 0);
    this.id = randomBytes(16).toString('hex');
    Buffer.from(this.id, 'hex').copy(this.memory!, MAGIC.length);
    for (let bucket = 0; bucket < BUCKETS; bucket++) this.encode(bucket, 0, { generation: 1, secret: randomBytes(32) });
  }

  private reload(): void {
    const bytes = this.memory ?? readWhole(this.path!);
    if (bytes.length !== FILE_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new KeyringDamaged(this.path ?? 'memory');
    this.id = bytes.subarray(MAGIC.length, MAGIC.length + 16).toString('hex');
    const slots: (KeyringSecret | undefined)[][] = [];
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      slots.push([0, 1].map((index) => this.decode(bytes, bucket, index)));
    }
    this.slots = slots;
  }

  private decode(bytes: Buffer, bucket: number, index: number): KeyringSecret | undefined {
    const at = HEADER + (bucket * 2 + index) * SLOT;
    const generation = bytes.readUInt32BE(at);
    if (generation === 0) return undefined;
    try {
      return { generation, secret: open(this.wrapping, bytes.subarray(at + 4, at + 4 + SEALED), `bucket:${bucket}:${generation}`) };
    } catch {
      throw new KeyringDamaged(this.path ?? 'memory');
    }
  }

  private encode(bucket: number, index: number, value: KeyringSecret | undefined): Buffer {
    const slot = Buffer.alloc(SLOT);
    if (value) {
      slot.writeUInt32BE(value.generation, 0);
      seal(this.wrapping, value.secret, `bucket:${bucket}:${value.generation}`).copy(slot, 4);
    }
    if (this.memory) slot.copy(this.memory, HEADER + (bucket * 2 + index) * SLOT);
    return slot;
  }

  private write(bucket: number, index: number, value: KeyringSecret | undefined): void {
    const slot = this.encode(bucket, index, value);
    if (!this.memory) {
      // In place, then fsync: the old bytes are overwritten where they lay, not left in a freed block.
      const fd = openSync(this.path!, 'r+');
      try {
        writeSync(fd, slot, 0, SLOT, HEADER + (bucket * 2 + index) * SLOT);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.slots[bucket]![index] = value;
  }
}

export class KeyringMissing extends Error {
  constructor(path: string) {
    super(
      `The subject keyring ${path} is missing: restore it from backup, or point JEJAK_KEYRING_FILE at the one this database's keys were wrapped with`,
    );
  }
}

export class KeyringDamaged extends Error {
  constructor(path: string) {
    super(`The subject keyring ${path} is damaged or was made with another master key`);
  }
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(FILE_BYTES + 1);
    let read = 0;
    for (;;) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
      if (read === bytes.length) break;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform lets a directory be fsynced; the file itself was
  }
}
