/**
 * `npm run bench -- offline [--records N] [--steps N]`: what working without signal costs an officer's phone,
 * in a real browser (Debian's Chromium) against the embedded server.
 *
 * - Size on the device: the service worker's script, the app shell it keeps, and the sealed cache after the
 *   officer has opened N records (default 200; each record and its history), as the browser counts it
 *   (navigator.storage.estimate) and as the bytes stored. The anchor: the shell alone, before any record.
 * - Sync: N steps (default 100 notes over 10 cases) made without signal, then the time from the signal's
 *   return until the last one is accepted. The baseline, in the same run and the same page: the same number
 *   of notes sent online one after another with plain fetch (no queue, no sealing), so the ratio is what the
 *   queue adds (reading and opening each step, chaining If-Match, removing it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signToken } from '@jejak/auth';
import { loadConfig } from '@jejak/config';
import { type Browser, chromium, type Page } from 'playwright-core';

import { createApp } from '../apps/api/src/app';
import { buildWebApp, progress, table } from './support';

const VILLAGE = '3201012001';
const PASSWORD = 'kebun-salak-2026-desa';
// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const navigator: { storage: { estimate(): Promise<{ usage?: number }> }; serviceWorker: { ready: Promise<unknown> } };
declare const caches: {
  keys(): Promise<string[]>;
  open(name: string): Promise<{ keys(): Promise<{ url: string }[]>; match(r: unknown): Promise<{ blob(): Promise<{ size: number }> }> }>;
};
declare const indexedDB: { open(name: string): { result: IdbDb; onsuccess: (() => void) | null } };
interface IdbDb {
  transaction(store: string): { objectStore(name: string): { getAll(): { result: unknown[]; onsuccess: (() => void) | null } } };
  close(): void;
}
declare const sessionStorage: { getItem(key: string): string | null };

const numberArg = (args: readonly string[], name: string, fallback: number): number => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 2000) throw new Error(`${name} must be a whole number from 1 to 2000`);
  return value;
};

/** The shell's bytes in the service worker's cache, and the sealed cache's bytes in IndexedDB. */
const deviceBytes = (page: Page) =>
  page.evaluate(async () => {
    let shell = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) shell += (await (await cache.match(request)).blob()).size;
    }
    const sealed = await new Promise<number>((resolve) => {
      const opened = indexedDB.open('jejak-offline');
      opened.onsuccess = () => {
        const all = opened.result.transaction('cache').objectStore('cache').getAll();
        all.onsuccess = () => {
          resolve(all.result.reduce<number>((sum, row) => sum + (row as { data: { byteLength: number } }).data.byteLength, 0));
          opened.result.close();
        };
      };
    });
    const { usage } = await navigator.storage.estimate();
    return { shell, sealed, usage: usage ?? 0 };
  });

export async function offlineBenchmark(args: readonly string[]): Promise<void> {
  const records = numberArg(args, '--records', 200);
  const steps = numberArg(args, '--steps', 100);
  const root = join(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'jejak-bench-offline-'));
  const webDir = join(work, 'web');
  buildWebApp(root, webDir);
  const serviceWorker = readFileSync(join(webDir, 'sw.js')).length;
  process.env.JEJAK_WEB_DIR = webDir;
  const config = loadConfig({ ...process.env, JEJAK_DATA_DIR: join(work, 'data'), PORT: '0' });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  try {
    const admin = await signToken(config.jwt.secret!, { sub: 'admin-bench', role: 'admin', scopes: [{ level: 'national' }] });
    const created = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'penggerak.bench', role: 'officer', scopes: [`village:${VILLAGE}`], password: PASSWORD }),
    });
    if (created.status !== 201) throw new Error(`creating the officer: ${created.status}`);
    const login = (await (
      await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'penggerak.bench', password: PASSWORD }),
      })
    ).json()) as { token: string };
    const ids: string[] = [];
    for (let i = 0; i < records; i++) {
      if (i % 50 === 0) progress(`recording complaints ${i + 1}–${Math.min(i + 50, records)} of ${records}`);
      const res = await fetch(`${base}/cases`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${login.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['unpaid_wages'],
          worker: { name: `Pekerja Migran ${i}` },
          relationship: 'self',
          destinationCountry: 'MY',
          complaint: `Gaji belum dibayar selama ${(i % 11) + 2} bulan; majikan tidak menjawab telepon keluarga.`,
        }),
      });
      if (res.status !== 201) throw new Error(`recording a complaint: ${res.status}`);
      ids.push(((await res.json()) as { id: string }).id);
    }

    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${base}/app/login`);
    await page.fill('#username', 'penggerak.bench');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/app/login'));
    await page.waitForSelector('.items .item');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      return true;
    });
    const shellOnly = await deviceBytes(page);

    for (let i = 0; i < ids.length; i++) {
      if (i % 25 === 0) progress(`opening records ${i + 1}–${Math.min(i + 25, ids.length)} of ${ids.length}`);
      await page.goto(`${base}/app/cases/${ids[i]}`);
      await page.waitForSelector('.timeline li');
    }
    await page.waitForTimeout(500);
    const opened = await deviceBytes(page);

    // The steps, made without signal: notes spread over ten cases (each case's later notes chain on its first).
    await context.setOffline(true);
    const onCases = ids.slice(0, 10);
    for (let i = 0; i < steps; i++) {
      if (i % 25 === 0) progress(`making steps without signal ${i + 1}–${Math.min(i + 25, steps)} of ${steps}`);
      const id = onCases[i % onCases.length]!;
      if (!page.url().endsWith(id)) {
        await page.goto(`${base}/app/cases/${id}`);
        await page.waitForSelector('dl.facts');
      }
      await page.fill('#f-text', `Kunjungan rumah ${i}: keluarga menunggu kabar dari agensi.`);
      await page.click('form:has(#f-text) button[type="submit"]');
      await page.waitForSelector(`.queue-status a:has-text("${i + 1} step")`);
    }
    progress(`syncing ${steps} steps`);
    const started = Date.now();
    await context.setOffline(false);
    await page.waitForSelector('.queue-status a', { state: 'detached', timeout: 600_000 });
    const sync = Date.now() - started;

    progress(`sending ${steps} notes online with plain fetch (baseline)`);
    const baseline = await page.evaluate(
      async ({ cases, count }) => {
        const { token } = JSON.parse(sessionStorage.getItem('jejak.session')!) as { token: string };
        const t0 = Date.now();
        for (let i = 0; i < count; i++) {
          const res = await fetch(`/cases/${cases[i % cases.length]}/notes`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
            body: JSON.stringify({ text: `Catatan ${i}: keluarga menunggu kabar dari agensi.` }),
          });
          if (res.status !== 201) throw new Error(`baseline note: ${res.status}`);
        }
        return Date.now() - t0;
      },
      { cases: onCases, count: steps },
    );
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    process.stdout.write(
      `\nmachine: ${process.platform} ${process.arch}, node ${process.version}; embedded store; ${records} records opened, ${steps} steps\n\n${table(
        ['measure', 'value', 'ratio'],
        [
          ['service worker script', kb(serviceWorker), '—'],
          ['app shell in the service worker cache (anchor)', kb(shellOnly.shell), '1.00'],
          [
            `sealed cache in IndexedDB after ${records} records (record + history each)`,
            kb(opened.sealed),
            (opened.sealed / shellOnly.shell).toFixed(2),
          ],
          ['storage the browser counts for the app, shell only', kb(shellOnly.usage), '—'],
          [
            `storage the browser counts for the app, after ${records} records`,
            kb(opened.usage),
            (opened.usage / shellOnly.usage).toFixed(2),
          ],
          [`${steps} notes sent online with plain fetch (baseline)`, `${baseline} ms`, '1.00'],
          [`${steps} queued steps synced after the signal returns`, `${sync} ms`, (sync / baseline).toFixed(2)],
        ],
      )}\n`,
    );
  } finally {
    await browser?.close();
    await app.close();
    delete process.env.JEJAK_WEB_DIR;
    rmSync(work, { recursive: true, force: true });
  }
}
