/**
 * The KKBM program's own work in a real browser against the real API on the embedded store: an officer of
 * the information-and-advocacy unit records a session on a phone in Bahasa Indonesia and corrects its count,
 * records an anonymous tip referred to prevention and follows the link to the record it opened, forms a
 * community and adds a member, in English on a desktop; an officer of the economic unit is told in their
 * language why they cannot record a session, then registers a member's business, reports a month and follows
 * a KUR application to its disbursement; a supervisor's dashboard shows the new figures. axe-core on every
 * page, nothing wider than the phone.
 */
import type { Page } from 'playwright-core';
import request from 'supertest';

import { accessible, DESKTOP, fits, login, open, PHONE, shot, startWebRig, type WebRig } from './support';

// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const VILLAGE = '3201012001';
const PASSWORD = 'kebun-salak-2026-desa';

let rig: WebRig;

beforeAll(async () => {
  rig = await startWebRig();
  const admin = await rig.api.token('admin-1', 'admin', 'national');
  for (const [username, role, scope, units] of [
    ['penggerak.info', 'officer', `village:${VILLAGE}`, ['info_advocacy']],
    ['penggerak.usaha', 'officer', `village:${VILLAGE}`, ['economic']],
    ['pengawas.jabar', 'supervisor', 'province:32', undefined],
  ] as const) {
    await request(rig.api.app.getHttpServer())
      .post('/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username, role, scopes: [scope], password: PASSWORD, ...(units ? { units } : {}) })
      .expect(201);
  }
}, 120_000);

afterAll(() => rig?.close());

const ready = (page: Page, selector: string) => page.waitForSelector(selector, { timeout: 15_000 });

async function loggedIn(language: 'id' | 'en', viewport: { width: number; height: number }, username: string, path: string) {
  const page = await open(rig, language, viewport);
  await page.goto(`${rig.base}/app/login?next=${encodeURIComponent(path)}`);
  await login(page, username, PASSWORD);
  await page.waitForURL((url) => url.pathname === `/app${path}`, { timeout: 15_000 });
  return page;
}

it('records a session on a phone in Bahasa Indonesia, and corrects the number reached', async () => {
  const page = await loggedIn('id', PHONE, 'penggerak.info', '/sessions/new');
  await ready(page, 'h1:has-text("Sosialisasi baru")');
  await accessible(page);
  await fits(page);
  await page.fill('#f-place', 'Balai desa Sukamaju');
  await page.check('input[value="safe_migration_procedure"]');
  await page.check('input[value="recognising_illegal_recruiters"]');
  // A count that is not a number: refused in the user's language, nothing written.
  await page.fill('#f-peopleReached', 'empat puluh');
  await page.click('button[type="submit"]');
  await ready(page, '.field.invalid #f-peopleReached');
  await page.fill('#f-peopleReached', '42');
  await page.click('button[type="submit"]');
  await ready(page, 'h1:has-text("Prosedur migrasi aman")');
  expect(await page.textContent('dl.facts')).toContain('42');
  await accessible(page);
  await fits(page);
  await shot(page, 'session-id-phone');

  await page.fill('#correct-peopleReached', '40');
  await page.fill('#f-reason', 'dua orang terhitung dua kali');
  await page.click('button:has-text("Simpan koreksi")');
  await page.waitForFunction(() => document.querySelector('dl.facts')?.textContent?.includes('40') ?? false);
  await page.context().close();
});

it('records an anonymous tip referred to prevention, and follows the link to the record it opened', async () => {
  const page = await loggedIn('en', DESKTOP, 'penggerak.info', '/enquiries/new');
  await ready(page, 'h1:has-text("New enquiry")');
  await page.selectOption('#f-channel', 'messaging');
  await page.selectOption('#f-topic', 'recognising_illegal_recruiters');
  await page.fill('#f-question', 'A sponsor offers work in Malaysia with a tourist visa');
  await page.check('input[name="outcome"][value="referred"]');
  await page.selectOption('#f-referral-to', 'prevention');
  await page.fill('#f-referral-destinationCountry', 'MY');
  await accessible(page);
  await page.click('button[type="submit"]:has-text("Save enquiry")');
  const opened = await ready(page, 'a:has-text("The prevention record is open")');
  await accessible(page);
  await shot(page, 'enquiry-en-desktop');
  await opened.click();
  await page.waitForURL(/\/app\/preventions\//, { timeout: 15_000 });
  await ready(page, 'text=Enquiry to the information service');
  await page.context().close();
});

it('forms a community and adds a member with their relation to migration', async () => {
  const page = await loggedIn('en', PHONE, 'penggerak.info', '/communities/new');
  await ready(page, 'h1:has-text("New community")');
  await page.fill('#f-name', 'KKBM Sukamaju');
  await page.click('button[type="submit"]');
  await ready(page, 'h1:has-text("KKBM Sukamaju")');
  await page.fill('#f-name', 'Ani Rahayu');
  await page.selectOption('#f-relation', 'returned_worker');
  await page.click('button:has-text("Add member")');
  await ready(page, 'a:has-text("Returned worker (purna)")');
  expect(await page.textContent('h2')).toContain('1 member');
  await accessible(page);
  await fits(page);
  await shot(page, 'community-en-phone');
  // The member's page lists the community they belong to.
  await page.click('a:has-text("Returned worker (purna)")');
  await ready(page, 'a:has-text("KKBM Sukamaju")');
  await page.context().close();
});

it("tells an officer of the economic unit, in their language, that sessions are the other unit's to record", async () => {
  const page = await loggedIn('id', PHONE, 'penggerak.usaha', '/sessions/new');
  await ready(page, 'h1:has-text("Sosialisasi baru")');
  await page.fill('#f-place', 'Balai desa');
  await page.check('input[value="required_documents"]');
  await page.fill('#f-peopleReached', '10');
  await page.click('button[type="submit"]');
  await ready(page, 'text=Hanya penggerak dari unit yang mencatat pekerjaan ini');
  await accessible(page);
  await page.context().close();
});

it("registers a member's business from their page, reports a month, and follows KUR to its disbursement", async () => {
  const officer = await rig.api.officerToken('officer-usaha', ['economic'], `village:${VILLAGE}`);
  const owner = (
    await request(rig.api.app.getHttpServer())
      .post('/subjects')
      .set('Authorization', `Bearer ${officer}`)
      .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Sri Wahyuni' })
      .expect(201)
  ).body.id as string;
  const page = await loggedIn('id', PHONE, 'penggerak.usaha', `/people/${owner}`);
  await (await ready(page, 'a:has-text("Daftarkan usaha milik orang ini")')).click();
  await ready(page, 'h1:has-text("Usaha baru")');
  await page.fill('#f-name', 'Keripik Sri');
  await page.selectOption('#f-sector', 'food_processing');
  await page.fill('#f-startedOn', '2026-01-05');
  await page.click('button[type="submit"]');
  await ready(page, 'h1:has-text("Keripik Sri")');
  await page.fill('#report-turnover', '4500000');
  await page.fill('#report-employed', '2');
  await page.click('form:has(#report-month) button[type="submit"]');
  await ready(page, 'td:has-text("4.500.000")');
  await accessible(page);
  await fits(page);
  await shot(page, 'business-id-phone');

  await page.click('a:has-text("Ajukan KUR")');
  await ready(page, 'h1:has-text("Pengajuan KUR baru")');
  await page.fill('#f-bank', 'BRI');
  await page.fill('#f-amountRequested', '25000000');
  await page.click('button[type="submit"]');
  await ready(page, 'dd:has-text("25.000.000")');
  await page.fill('#f-amount', '20000000');
  await page.click('button:has-text("Disetujui bank")');
  await ready(page, 'dd:has-text("Disetujui")');
  await page.fill('#f-amount', '20000000');
  await page.click('button:has-text("Dicairkan")');
  await ready(page, 'dd:has-text("Lancar")');
  await accessible(page);
  await fits(page);
  await shot(page, 'kur-id-phone');
  await page.context().close();
});

it("shows the supervisor the program's figures beside the advocacy ones, with the sessions behind the number", async () => {
  const page = await loggedIn('id', DESKTOP, 'pengawas.jabar', '/dashboard');
  // The read models may still be catching up with the officers' last writes: wait for each figure.
  const tile = await ready(page, '[data-figure="information.sessions"] a:text-is("1")');
  await ready(page, '[data-figure="information.peopleReached"] .value:text-is("40")');
  await ready(page, '[data-figure="information.enquiries"] .value:has-text("1")');
  await ready(page, '[data-figure="communities.membersJoined"] .value:text-is("1")');
  await ready(page, '[data-figure="kur.disbursements"] .value:text-is("1")');
  await accessible(page);
  await shot(page, 'dashboard-program-id-desktop');
  await tile.click();
  await ready(page, 'h1:has-text("Sosialisasi")');
  await ready(page, 'li.item a:has-text("Prosedur migrasi aman")');
  await page.context().close();
});
