import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { DataDirectoryLocked } from '../errors';

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * An embedded data directory belongs to one process at a time: PGlite has no server to arbitrate, and two
 * processes writing the same files would corrupt them. The lock is a file created exclusively (O_EXCL)
 * holding the owner's pid; a lock whose owner is dead (killed, crashed) is stale and taken over.
 */
export class DataDirLock {
  private constructor(
    private readonly path: string,
    private readonly content: string,
  ) {}

  static acquire(directory: string): DataDirLock {
    mkdirSync(directory, { recursive: true });
    const path = join(directory, 'jejak.lock');
    const mine: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const content = JSON.stringify(mine);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, content);
        closeSync(fd);
        return new DataDirLock(path, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let existing = '';
      try {
        existing = readFileSync(path, 'utf8');
      } catch {
        continue; // removed meanwhile: try again
      }
      let holder: Partial<LockContent> = {};
      try {
        holder = JSON.parse(existing) as Partial<LockContent>;
      } catch {
        // A torn write by a process killed while creating the lock: treat as stale.
      }
      if (typeof holder.pid === 'number' && holder.host === mine.host && alive(holder.pid)) {
        throw new DataDirectoryLocked(directory, holder.pid);
      }
      // Stale: remove it only if it is still the same stale content, then race fairly through O_EXCL.
      try {
        if (readFileSync(path, 'utf8') === existing) unlinkSync(path);
      } catch {
        // gone already
      }
    }
    throw new DataDirectoryLocked(directory, -1);
  }

  release(): void {
    try {
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
