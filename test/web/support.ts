/**
 * What every browser suite shares: the web app built as `npm start` builds it (into a directory of the
 * suite's own), a real API on the embedded store serving it, Debian's Chromium driven by playwright-core
 * (nothing downloads a browser), and the checks every page must pass: no horizontal scrolling, no serious
 * or critical axe-core violation. Screenshots land in test/screenshots/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

import { startTestApi, type TestApi } from '../support/api';

// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const window: { innerWidth: number; axe: typeof axe };
declare const document: { documentElement: { scrollWidth: number }; activeElement: unknown };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '..', 'screenshots');
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

export interface WebRig {
  readonly api: TestApi;
  readonly browser: Browser;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  close(): Promise<void>;
}

/** Builds the app, starts the API on PGlite serving it on a free port, and launches Chromium. */
export async function startWebRig(): Promise<WebRig> {
  const webDir = mkdtempSync(join(tmpdir(), 'jejak-web-'));
  execFileSync(
    process.execPath,
    [
      join('node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.ts',
      '--outDir',
      webDir,
      '--logLevel',
      'error',
      // Each build writes its own directory: the browser suites build side by side (Vite's lock refuses that).
      '--bypass-lock',
    ],
    {
      cwd: join(__dirname, '..', '..'),
      stdio: 'pipe',
    },
  );
  process.env.JEJAK_WEB_DIR = webDir;
  const api = await startTestApi('pglite');
  await api.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
  return {
    api,
    browser,
    base,
    close: async () => {
      await browser.close();
      await api.close();
      delete process.env.JEJAK_WEB_DIR;
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/** A new browser context in a language (its first visit; a choice made in the app stays across reloads). */
export async function open(rig: WebRig, language: 'id' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const context = await rig.browser.newContext({ viewport, locale: language === 'en' ? 'en-GB' : 'id-ID', acceptDownloads: true });
  await context.addInitScript((lang) => localStorage.getItem('jejak.language') ?? localStorage.setItem('jejak.language', lang), language);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  return page;
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
}

/** axe-core in the page: no serious or critical violation. */
export async function accessible(page: Page): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document as never, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations).toEqual([]);
}

/** Nothing wider than the screen: no sideways scrolling on a phone. */
export async function fits(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

/** Tabs (at most `limit` times) until the element `selector` finds has the focus; fails if it never does. */
export async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
  const target = await page.waitForSelector(selector);
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** A day counted from today in the deployment's time zone (as the API and the app count days). */
export const jakartaDay = (offsetDays = 0): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
