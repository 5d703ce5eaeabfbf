/**
 * The KKBM program's own work in a real browser against the real API on the embedded store: an officer of
 * the information-and-advocacy unit records a session on a phone in Bahasa Indonesia and corrects its count,
 * records an anonymous tip referred to prevention and follows the link to the record it opened, forms a
 * community and adds a member, in English on a desktop; an officer of the economic unit is told in their
 * language why they cannot record a session, then registers a member's business, reports a month and follows
 * a KUR application to its disbursement, adds a member to a business group from their page and records their
 * leaving; a community's member changes relation and leaves, and the community is dissolved; an administrator
 * moves an officer to the other unit; a supervisor's dashboard shows the new figures and drills down to the
 * KUR credits disbursed (no amount in the list). axe-core on every page, nothing wider than the phone.
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
    ['admin.kkbm', 'admin', 'national', undefined],
    ['penggerak.pindah', 'officer', `village:${VILLAGE}`, ['info_advocacy']],
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
  await (await ready(page, 'a:has-text("KKBM Sukamaju")')).click();

  // Their relation changes (they are going abroad again), then they leave; the community is dissolved.
  await page.click('summary:has-text("Change relation or record leaving")');
  const relation = await ready(page, 'select[id^="relation-"]');
  await relation.selectOption('prospective_worker');
  await page.click('button:has-text("Save new relation")');
  await ready(page, 'li.item a:has-text("Prospective worker")');
  // The member's box stays open for the next step.
  await (await ready(page, 'input[id^="leaving-"]')).fill('moved to the city');
  await accessible(page);
  await fits(page);
  await page.click('button:has-text("Record leaving")');
  await ready(page, 'h2:has-text("0 members")');
  await page.click('summary:has-text("Dissolve the community")');
  await page.fill('#dissolution-reason', 'merged with KKBM Mekarsari');
  await page.click('button:has-text("Record dissolution")');
  await ready(page, 'dd:has-text("Dissolved")');
  expect(await page.$('summary:has-text("Dissolve the community")')).toBeNull();
  await accessible(page);
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

it('adds a member to a business group from their page, and records their leaving on the group', async () => {
  const officer = await rig.api.officerToken('officer-usaha', ['economic'], `village:${VILLAGE}`);
  const server = rig.api.app.getHttpServer();
  const member = (
    await request(server)
      .post('/subjects')
      .set('Authorization', `Bearer ${officer}`)
      .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Dewi Lestari' })
      .expect(201)
  ).body.id as string;
  const formed = await request(server)
    .post('/business-groups')
    .set('Authorization', `Bearer ${officer}`)
    .send({ areaCode: VILLAGE, name: 'KUB Salak Manis', legalStatus: 'informal' })
    .expect(201);
  // The choices are the groups of the officer's territory: wait until the list holds the group just formed.
  await request(server)
    .get('/business-groups')
    .set('Authorization', `Bearer ${officer}`)
    .set('X-Min-Position', formed.body.position as string)
    .expect(200);
  const page = await loggedIn('id', PHONE, 'penggerak.usaha', `/people/${member}`);
  const choose = await ready(page, '#join-group');
  await choose.selectOption(formed.body.id as string);
  await accessible(page);
  await fits(page);
  await page.click('button:has-text("Tambahkan ke kelompok")');
  await (await ready(page, 'li.item a:has-text("KUB Salak Manis")')).click();
  await ready(page, 'h1:has-text("KUB Salak Manis")');
  await ready(page, 'li.item a:has-text("Anggota")');
  await accessible(page);
  await fits(page);
  await shot(page, 'group-id-phone');
  await page.click('button:has-text("Keluar dari kelompok")');
  await ready(page, 'text=Belum ada anggota.');
  await page.context().close();
});

it("moves an officer to the other unit from the users page, and the officer's next write follows it", async () => {
  const page = await loggedIn('en', DESKTOP, 'admin.kkbm', '/admin/users');
  const row = await ready(page, 'li[data-user="penggerak.pindah"]');
  await (await row.$('button:has-text("Manage")'))!.click();
  const form = await ready(page, 'form[aria-label="Units and background"]');
  await (await form.$('input[value="info_advocacy"]'))!.uncheck();
  await (await form.$('input[value="economic"]'))!.check();
  await (await form.$('select[id$="-background"]'))!.selectOption('returned_worker');
  await (await form.$('input[id^="f-profile-reason-"]'))!.fill('moved to the enterprise unit');
  await accessible(page);
  await (await form.$('button[type="submit"]'))!.click();
  await ready(page, 'li[data-user="penggerak.pindah"] .meta:has-text("Economic")');
  await shot(page, 'users-units-en-desktop');
  await page.context().close();

  // The officer's new login carries the new unit: a session is now the other unit's to record.
  const officer = await loggedIn('en', PHONE, 'penggerak.pindah', '/sessions/new');
  await ready(officer, 'h1:has-text("New session")');
  await officer.fill('#f-place', 'Village hall');
  await officer.check('input[value="required_documents"]');
  await officer.fill('#f-peopleReached', '12');
  await officer.click('button[type="submit"]');
  await ready(officer, '.problem[data-code="UNIT_NOT_ALLOWED"]');
  await officer.context().close();
});

it("shows the supervisor the program's figures beside the advocacy ones, with the sessions behind the number", async () => {
  const page = await loggedIn('id', DESKTOP, 'pengawas.jabar', '/dashboard');
  // The read models may still be catching up with the officers' last writes: wait for each figure.
  const tile = await ready(page, '[data-figure="information.sessions"] a:text-is("1")');
  await ready(page, '[data-figure="information.peopleReached"] .value:text-is("40")');
  await ready(page, '[data-figure="information.enquiries"] .value:has-text("1")');
  await ready(page, '[data-figure="communities.membersJoined"] .value:text-is("1")');
  await ready(page, '[data-figure="kur.disbursements"] a:text-is("1")');
  await accessible(page);
  await shot(page, 'dashboard-program-id-desktop');
  await tile.click();
  await ready(page, 'h1:has-text("Sosialisasi")');
  await ready(page, 'li.item a:has-text("Prosedur migrasi aman")');
  // The KUR credits disbursed open the list of those credits: their bank, scheme and step, never an amount.
  await page.goBack();
  await (await ready(page, '[data-figure="kur.disbursements"] a:text-is("1")')).click();
  await ready(page, 'h1:has-text("Kredit KUR")');
  await ready(page, 'li.item a:has-text("BRI · Mikro")');
  expect(await page.textContent('main')).not.toMatch(/25\.000\.000|20\.000\.000/);
  await accessible(page);
  await fits(page);
  await page.context().close();
});
