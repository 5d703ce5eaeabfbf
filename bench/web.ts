/**
 * `npm run bench -- web [--runs N] [--scale K]`: how long an officer waits, in a real browser (Debian's Chromium), from
 * navigating to the web app until the worklist is on screen, on the embedded server with a village's open
 * work in it. The baseline, in the same run and the same browser: the same page's HTML and CSS without
 * running the app (JavaScript off), so the ratio is what the app itself (its JavaScript, the session, the
 * API call, the render) adds to loading a page from this server. Also prints the initial JavaScript,
 * gzipped, against the issue's 150 KB budget.
 *
 * With `--scale K` the pages are measured on a seeded program (`npm run seed -- --scale K`, through the same
 * HTTP commands) instead of 40 complaints in one village: the officer is one of the seed's officers and the
 * national dashboard covers the whole program. Seeding takes minutes, so the seeded data directory is kept
 * in `.scratch/bench-program-scale-K` and copied for each benchmark run (`--reseed` builds it again).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { signToken } from '@jejak/auth';
import { loadConfig } from '@jejak/config';
import { parseScope } from '@jejak/kernel';
import { type Browser, chromium } from 'playwright-core';

import { createApp } from '../apps/api/src/app';
import { seedPlan } from '../apps/cli/src/seed/plan';
import { runSeed } from '../apps/cli/src/seed/run';
import { buildWebApp, progress, table } from './support';

const VILLAGE = '3201012001';
// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const sessionStorage: { setItem(key: string, value: string): void };
declare const performance: { now(): number; getEntriesByType(type: string): { loadEventEnd: number }[] };
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function webBenchmark(args: readonly string[]): Promise<void> {
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Math.max(3, Number(args[at + 1]) || 15) : 15;
  const scaleAt = args.indexOf('--scale');
  const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : undefined;
  if (scale !== undefined && !(scale > 0 && scale <= 100)) throw new Error('--scale must be a number above 0 and at most 100');
  const root = join(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'jejak-bench-web-'));
  const program = scale === undefined ? undefined : await seededProgram(root, scale, args.includes('--reseed'));
  if (program) cpSync(program.dir, join(work, 'data'), { recursive: true });
  const webDir = join(work, 'web');
  buildWebApp(root, webDir);
  // The initial JavaScript is what the page itself names (its entry and what it preloads); the other
  // chunks (the supervisors', auditors' and admins' pages, the chart) load only when their page opens.
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const named = new Set([...html.matchAll(/\/app\/assets\/([^"]+\.js)/g)].map((m) => m[1]!));
  const gz = (f: string) => gzipSync(readFileSync(join(webDir, 'assets', f))).length;
  const scripts = readdirSync(join(webDir, 'assets')).filter((f) => f.endsWith('.js'));
  const initialJs = scripts.filter((f) => named.has(f)).reduce((sum, f) => sum + gz(f), 0);
  const lazyChunks = scripts.filter((f) => !named.has(f)).map((f) => [f.replace(/-[A-Za-z0-9_-]{8}\.js$/, ''), gz(f)] as const);

  process.env.JEJAK_WEB_DIR = webDir;
  const config = loadConfig({ ...process.env, JEJAK_DATA_DIR: join(work, 'data'), PORT: '0' });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  try {
    const secret = config.jwt.secret!;
    const village = program?.village ?? VILLAGE;
    const officer = program ? `officer-${village}-1` : 'officer-bench';
    const token = await signToken(secret, { sub: officer, role: 'officer', scopes: [{ level: 'village', code: village }] });
    if (!program) progress('recording 40 complaints for the worklist');
    for (let i = 0; !program && i < 40; i++) {
      const res = await fetch(`${base}/cases`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          areaCode: VILLAGE,
          channel: 'hotline',
          categories: ['unpaid_wages'],
          worker: { name: `Pekerja ${i}` },
          relationship: 'self',
          complaint: 'gaji',
        }),
      });
      if (res.status !== 201) throw new Error(`seeding a case: ${res.status}`);
    }
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const session = {
      token,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: officer, role: 'officer', scopes: [`village:${village}`] },
    };
    const supervisor = await signToken(secret, { sub: 'supervisor-bench', role: 'supervisor', scopes: [{ level: 'national' }] });
    const supervising = {
      token: supervisor,
      expiresAt: session.expiresAt,
      user: { id: 'supervisor-bench', role: 'supervisor', scopes: ['national'] },
    };
    const app_: number[] = [];
    const dashboard: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`run ${i + 1} / ${runs}`);
      // The app: navigation until the worklist's items are on screen (fresh context: nothing cached).
      const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
      await context.addInitScript((s) => sessionStorage.setItem('jejak.session', s), JSON.stringify(session));
      const page = await context.newPage();
      await page.goto(`${base}/app/`);
      await page.waitForSelector('.items .item');
      app_.push(await page.evaluate(() => performance.now()));
      await context.close();
      // The supervisors' dashboard: navigation until its first figure is on screen (lazy chunk included).
      const board = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await board.addInitScript((s) => sessionStorage.setItem('jejak.session', s), JSON.stringify(supervising));
      const boardPage = await board.newPage();
      await boardPage.goto(`${base}/app/dashboard`);
      await boardPage.waitForSelector('.tile .value');
      dashboard.push(await boardPage.evaluate(() => performance.now()));
      await board.close();
      // The baseline: the same page, JavaScript off, until its load event.
      const plain = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: false });
      const still = await plain.newPage();
      await still.goto(`${base}/app/`, { waitUntil: 'load' });
      baseline.push(await still.evaluate(() => performance.getEntriesByType('navigation')[0]!.loadEventEnd));
      await plain.close();
    }
    const a = median(app_);
    const d = median(dashboard);
    const b = median(baseline);
    if (program) process.stdout.write(`\nseeded program: ${program.summary}\n`);
    process.stdout.write(
      `\n${table(
        ['measure', 'median', 'ratio'],
        [
          ['page HTML and CSS, JavaScript off (baseline)', `${b.toFixed(0)} ms`, '1.00'],
          [
            `navigation to the worklist shown (${program ? `a seeded village, scale ${scale}` : '40 cases'})`,
            `${a.toFixed(0)} ms`,
            (a / b).toFixed(2),
          ],
          [
            `navigation to the dashboard’s first figure (national${program ? `, seeded program, scale ${scale}` : ''})`,
            `${d.toFixed(0)} ms`,
            (d / b).toFixed(2),
          ],
          ['initial JavaScript, gzipped (budget 150 KB)', `${(initialJs / 1024).toFixed(1)} KB`, (initialJs / (150 * 1024)).toFixed(2)],
          ...lazyChunks.map(([name, size]) => [
            `lazy chunk ${name}, gzipped (vs. initial)`,
            `${(size / 1024).toFixed(1)} KB`,
            (size / initialJs).toFixed(3),
          ]),
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

/**
 * The data directory of a program seeded at `scale` (kept between runs in .scratch/, which git ignores),
 * seeded through a server of its own on first use.
 */
async function seededProgram(root: string, scale: number, reseed: boolean): Promise<{ dir: string; village: string; summary: string }> {
  const dir = join(root, '.scratch', `bench-program-scale-${scale}`);
  const plan = seedPlan({ scale, seed: 1, now: new Date() });
  const village = plan.villages[0]!;
  const marker = join(dir, 'seeded.json');
  if (reseed) rmSync(dir, { recursive: true, force: true });
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    progress(`seeding a program at scale ${scale} into ${dir} (once; --reseed builds it again)`);
    const config = loadConfig({ ...process.env, JEJAK_DATA_DIR: dir, PORT: '0' });
    const app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const result = await runSeed(plan, {
        url,
        concurrency: 8,
        token: (sub, role, scope) => signToken(config.jwt.secret!, { sub, role, scopes: [parseScope(scope)!] }, { expiresIn: '2h' }),
        progress,
      });
      const summary = `${plan.villages.length} villages, ${plan.scripts.length.toLocaleString('en-US')} items, ${result.requests.toLocaleString('en-US')} requests, seeded on ${new Date().toISOString().slice(0, 10)} in ${result.seconds.toFixed(0)} s`;
      writeFileSync(marker, JSON.stringify({ summary }));
    } finally {
      await app.close();
    }
  }
  const { summary } = JSON.parse(readFileSync(marker, 'utf8')) as { summary: string };
  return { dir, village, summary };
}
