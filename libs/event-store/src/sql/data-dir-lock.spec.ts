import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataDirectoryLocked } from '../errors';
import { DataDirLock } from './data-dir-lock';

describe('DataDirLock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jejak-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('belongs to one holder at a time and is free again after release', () => {
    const lock = DataDirLock.acquire(dir);
    let refused: unknown;
    try {
      DataDirLock.acquire(dir);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirectoryLocked);
    expect((refused as DataDirectoryLocked).holderPid).toBe(process.pid);
    expect((refused as Error).message).toMatch(/in use by process \d+; stop that process or set JEJAK_DATA_DIR/);
    lock.release();
    expect(existsSync(join(dir, 'jejak.lock'))).toBe(false);
    DataDirLock.acquire(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    // A pid that certainly is not running: a child that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'jejak.lock'), JSON.stringify({ pid: Number(dead), host: hostname(), since: 'then' }));
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, 'jejak.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a torn, unreadable lock file', () => {
    writeFileSync(join(dir, 'jejak.lock'), '{"pid": 12');
    DataDirLock.acquire(dir).release();
  });
});
