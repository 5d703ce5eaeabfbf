/**
 * The supervisors' and administrators' pages in a real browser against the real API on the embedded
 * store: a national supervisor drills from the national table down to one village and opens the items
 * counted, and downloads the CSV of what is on screen; a province supervisor's figures equal the API's
 * JSON, the page says when the read models are catching up, and closures are approved and rejected in
 * place; an auditor replays a case, moves to an earlier revision, opens the diff, verifies the log and
 * downloads a case file the CLI's offline check accepts; an administrator creates an officer who then logs in, and sees the read models; an officer of
 * another village sees none of it. Both languages, phone and desktop, axe-core on every page.
 */
import { readFileSync } from 'node:fs';

import type { Page } from 'playwright-core';
import request from 'supertest';

import { auditCommand } from '../../apps/cli/src/audit.command';
import { accessible, DESKTOP, fits, jakartaDay, login, open, PHONE, shot, startWebRig, type WebRig } from './support';

// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const window: { innerWidth: number };
declare const document: { documentElement: { scrollWidth: number } };

const VILLAGE = '3201012001';
const FAR_VILLAGE = '3507012001';
const PASSWORD = 'kebun-teh-2026-pusat';

let rig: WebRig;
/** A case of another village of the province, taken to closure: what the auditor replays. */
let audited: string;
const cases: string[] = [];
const resolved: string[] = [];

const http = () => request(rig.api.app.getHttpServer());
const as = (token: string) => ({
  post: (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${token}`).send(body),
  get: (path: string) => http().get(path).set('Authorization', `Bearer ${token}`),
});

beforeAll(async () => {
  rig = await startWebRig();
  const admin = await rig.api.token('admin-0', 'admin', 'national');
  for (const [username, role, scope] of [
    ['nasional.sup', 'supervisor', 'national'],
    ['jabar.sup', 'supervisor', 'province:32'],
    ['admin.pusat', 'admin', 'national'],
    ['desa.malang', 'officer', `village:${FAR_VILLAGE}`],
    ['audit.jabar', 'auditor', 'province:32'],
  ]) {
    await as(admin)
      .post('/users', { username, role, scopes: [scope], password: PASSWORD })
      .expect(201);
  }
  // A village's month: three complaints (two resolved, waiting for closure), two placements, a prevention report; and one complaint far away.
  const officer = await rig.api.token('officer-bogor', 'officer', `village:${VILLAGE}`);
  for (let i = 0; i < 3; i++) {
    const id = (
      await as(officer)
        .post('/cases', {
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['unpaid_wages'],
          worker: { name: `Pekerja ${i}` },
          relationship: 'self',
          complaint: 'gaji tidak dibayar',
        })
        .expect(201)
    ).body.id;
    cases.push(id);
  }
  for (const id of cases.slice(0, 2)) {
    await as(officer).post(`/cases/${id}/verification`, { procedural: 'procedural' }).expect(200);
    await as(officer).post(`/cases/${id}/classification`, { urgency: 'normal' }).expect(200);
    await as(officer).post(`/cases/${id}/resolution`, { outcome: 'no_outcome' }).expect(200);
    resolved.push(id);
  }
  for (const nik of ['3201014101990001', '3201014101990002']) {
    await as(officer)
      .post('/placements', { areaCode: VILLAGE, worker: { name: 'Calon', nik, birthDate: '1999-01-01' } })
      .expect(201);
  }
  await as(officer)
    .post('/preventions', { areaCode: VILLAGE, source: 'family', person: { name: 'Orang' }, flags: [{ flag: 'upfront_payment' }] })
    .expect(201);
  const neighbour = await rig.api.token('officer-bogor2', 'officer', 'village:3201012002');
  audited = (
    await as(neighbour)
      .post('/cases', {
        areaCode: '3201012002',
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Diaudit' },
        relationship: 'self',
        complaint: 'gaji',
      })
      .expect(201)
  ).body.id;
  await as(neighbour).post(`/cases/${audited}/verification`, { procedural: 'procedural' }).expect(200);
  await as(neighbour).post(`/cases/${audited}/classification`, { urgency: 'normal' }).expect(200);
  const done = (await as(neighbour).post(`/cases/${audited}/resolution`, { outcome: 'no_outcome' }).expect(200)).body;
  const approver = await rig.api.token('supervisor-seed', 'supervisor', 'province:32');
  await http()
    .post(`/cases/${audited}/closure-approval`)
    .set('Authorization', `Bearer ${approver}`)
    .set('If-Match', `"${done.revision}"`)
    .send({})
    .expect(200);
  const far = await rig.api.token('officer-malang', 'officer', `village:${FAR_VILLAGE}`);
  await as(far)
    .post('/cases', {
      areaCode: FAR_VILLAGE,
      channel: 'hotline',
      categories: ['lost_contact'],
      worker: { name: 'Jauh' },
      relationship: 'self',
      complaint: 'hilang kontak',
    })
    .expect(201);
}, 180_000);

afterAll(() => rig?.close());

/** This month so far, where the deployment is: the dashboard's default period. */
const period = () => ({ from: `${jakartaDay().slice(0, 7)}-01`, to: jakartaDay() });

async function loggedIn(username: string, language: 'id' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const page = await open(rig, language, viewport);
  await page.goto(`${rig.base}/app/login`);
  await login(page, username, PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/app/login'));
  await page.waitForSelector('main h1');
  return page;
}

const tile = async (page: Page, key: string): Promise<number> =>
  Number((await page.textContent(`[data-figure="${key}"] .value`))!.replace(/\D/g, ''));

describe('the program’s pages in Chromium', () => {
  it('takes a national supervisor from the national table down to one village, to the cases counted, and downloads the CSV on screen (English, desktop)', async () => {
    const page = await loggedIn('nasional.sup', 'en', DESKTOP);
    await page.waitForSelector('h1:has-text("Program dashboard")');
    expect(page.url()).toContain('/app/dashboard');
    await page.waitForSelector('.tile');
    expect(await tile(page, 'cases.opened')).toBe(5);
    await accessible(page);
    await shot(page, 'dashboard-national-en-1280');
    for (const [code, next] of [
      ['32', 'Regencies'],
      ['3201', 'Districts'],
      ['320101', 'Villages'],
    ] as const) {
      await page.click(`table.areas th button:text-is("${code}")`);
      await page.waitForURL(new RegExp(`area=${code}`));
      await page.waitForSelector(`h2:has-text("${next}")`);
      await page.waitForSelector('table.areas tbody tr');
      await accessible(page);
    }
    expect(await page.textContent('.crumbs')).toContain('National');
    expect(await page.textContent('.crumbs')).toContain('District 320101');
    await shot(page, 'dashboard-district-en-1280');
    // The CSV of the table on screen, named after the area and period, is the API's own.
    const { from, to } = period();
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download CSV")')]);
    expect(file.suggestedFilename()).toBe(`indicators-village-320101-${from}-${to}.csv`);
    const token = await rig.api.token('supervisor-x', 'supervisor', 'national');
    const csv = (
      await as(token).get(`/reports/indicators?level=village&code=320101&from=${from}&to=${to}`).set('Accept', 'text/csv').expect(200)
    ).text;
    expect(readFileSync((await file.path())!, 'utf8')).toBe(csv);
    // The village's "cases opened" opens exactly the cases it counts.
    await page.click(`table.areas tr:has(th button:text-is("${VILLAGE}")) td >> nth=0 >> a`);
    await page.waitForURL(/\/app\/cases\?openedFrom=.*area=3201012001/);
    await page.waitForSelector('.items .item');
    const listed = await page.$$eval('.items .item a', (links) =>
      links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')),
    );
    expect(listed.map((href) => href.split('/').pop()).sort()).toEqual([...cases].sort());
    // Breadcrumbs lead back up.
    await page.goBack();
    await page.click('.crumbs a:has-text("National")');
    await page.waitForSelector('h2:has-text("Provinces")');
    await page.context().close();
  });

  it('shows a province supervisor the figures the API gives, says when they are catching up, and approves and rejects closures in place (Bahasa Indonesia, phone)', async () => {
    const page = await open(rig, 'id', PHONE);
    // The first report is answered as if the read models were behind: the page says so and asks again.
    let held = false;
    await page.route('**/reports/indicators?level=province*', async (route) => {
      if (held) return route.continue();
      held = true;
      await route.fulfill({
        status: 503,
        headers: { 'Retry-After': '1', 'Content-Type': 'application/problem+json' },
        body: JSON.stringify({ code: 'PROJECTION_BEHIND', status: 503, title: 'Service Unavailable' }),
      });
    });
    await page.goto(`${rig.base}/app/login`);
    await login(page, 'jabar.sup', PASSWORD);
    await page.waitForSelector('text=Angka sedang menyusul catatan terbaru');
    await page.waitForSelector('.tile');
    expect(held).toBe(true);
    const { from, to } = period();
    const token = await rig.api.token('supervisor-y', 'supervisor', 'province:32');
    const rows = (await as(token).get(`/reports/indicators?level=province&code=32&from=${from}&to=${to}`).expect(200)).body.rows as Record<
      string,
      Record<string, number>
    >[];
    for (const key of [
      'cases.opened',
      'cases.resolved',
      'cases.closed',
      'cases.overdueNow',
      'placements.registered',
      'placements.departed',
      'preventions.reported',
      'preventions.confirmed',
      'preventions.redirectedToLegalPlacement',
    ]) {
      const [group, name] = key.split('.') as [string, string];
      expect([key, await tile(page, key)]).toEqual([key, rows.reduce((sum, r) => sum + (r[group]![name] ?? 0), 0)]);
    }
    expect(await tile(page, 'cases.opened')).toBe(4);
    await accessible(page);
    await fits(page);
    await shot(page, 'dashboard-province-id-360');

    await page.click('nav >> text=Persetujuan');
    await page.waitForSelector('h1:has-text("Penutupan menunggu persetujuan")');
    await page.waitForSelector(`li[data-case="${resolved[0]}"]`);
    await accessible(page);
    await fits(page);
    await shot(page, 'approvals-id-360');
    await page.click(`li[data-case="${resolved[0]}"] button:has-text("Setujui penutupan")`);
    await page.waitForSelector(`li[data-case="${resolved[0]}"] >> text=Disetujui: kasus ditutup.`);
    // A rejection needs its reason: refused next to the field, then sent.
    const second = `li[data-case="${resolved[1]}"]`;
    await page.click(`${second} button:has-text("Tolak")`);
    await page.click(`${second} button:has-text("Kirim penolakan")`);
    await page.waitForSelector(`${second} .field.invalid >> text=Wajib diisi.`);
    await page.fill(`${second} input`, 'Coba mediasi dulu');
    await page.click(`${second} button:has-text("Kirim penolakan")`);
    await page.waitForSelector(`${second} >> text=Ditolak: kasus kembali ke penggeraknya.`);
    await accessible(page);
    const auditor = await rig.api.token('auditor-z', 'auditor', 'national');
    expect((await as(auditor).get(`/cases/${resolved[0]}`).expect(200)).body.status).toBe('closed');
    expect((await as(auditor).get(`/cases/${resolved[1]}`).expect(200)).body.status).toBe('open');
    await page.context().close();
  });

  it('lets an auditor replay a closed case, see it at an earlier revision and the diff, verify the log, and take a case file the CLI accepts (Bahasa Indonesia, phone, then English, desktop)', async () => {
    const closed = audited;
    const page = await loggedIn('audit.jabar', 'id', PHONE);
    await page.waitForSelector('h1:has-text("Meja kerja audit")');
    await page.fill('#f-id', closed);
    await page.click('button:has-text("Buka")');
    await page.waitForURL(new RegExp(`/app/audit/record/case-${closed}$`));
    await page.waitForSelector('.timeline.audit li[data-revision="0"]');
    const revisions = await page.locator('.timeline.audit li').count();
    expect(revisions).toBeGreaterThanOrEqual(5); // opened, verified, classified, resolved, closure approved, closed
    expect(await page.textContent('.timeline.audit li[data-revision="0"]')).toContain('officer-bogor');
    await accessible(page);
    await fits(page);
    await shot(page, 'audit-record-id-360');
    // As it stood after its opening: open; and what changed since, field by field, by whom.
    await page.selectOption('.filters label:has-text("Keadaan setelah revisi") select', '0');
    await page.waitForSelector('table.state tr:has(th:text-is("status")) td:text-is("open")');
    await page.selectOption('.filters label:has-text("Perubahan dari revisi") select', '0');
    await page.waitForSelector('table.diff tr:has(th:text-is("status"))');
    expect(await page.textContent('table.diff')).toContain('closed');
    await accessible(page);
    await fits(page);
    await shot(page, 'audit-diff-id-360');
    // The events of the same request.
    await page.click('.timeline.audit li[data-revision="0"] a[href*="correlation="]');
    await page.waitForSelector('.items .item');
    expect(await page.textContent('.items')).toContain(`case-${closed}`);
    await page.context().close();

    const desk = await loggedIn('audit.jabar', 'en', DESKTOP);
    await desk.goto(`${rig.base}/app/audit/record/case-${closed}`);
    await desk.waitForSelector('.timeline.audit li');
    const [file] = await Promise.all([desk.waitForEvent('download'), desk.click('button:has-text("Download signed case file")')]);
    expect(file.suggestedFilename()).toBe(`case-file-case-${closed}.json`);
    expect(await auditCommand(['verify-bundle', (await file.path())!], {}, () => undefined)).toEqual({
      ok: true,
      output: expect.stringMatching(new RegExp(`^bundle intact: case-${closed}`)),
    });
    await desk.click('nav >> text=Integrity');
    await desk.click('button:has-text("Verify the log")');
    await desk.waitForSelector('.verdict[data-intact="true"]', { timeout: 60_000 });
    expect(await desk.textContent('.verdict')).toContain('Intact up to position');
    await accessible(desk);
    await shot(desk, 'audit-integrity-en-1280');
    await desk.click('nav >> text=Access log');
    await desk.waitForSelector(`.items .item:has-text("case-${closed}")`);
    expect(await desk.textContent('.items')).toContain('Case file');
    await accessible(desk);
    await shot(desk, 'audit-access-en-1280');
    await desk.context().close();
  });

  it('lets an administrator create an officer who then logs in with the password shown once, handle a person’s access report, legal hold and erasure, keep agencies and moratoriums, and see the read models (English, desktop)', async () => {
    const page = await loggedIn('admin.pusat', 'en', DESKTOP);
    await page.waitForSelector('h1:has-text("Users")');
    await page.waitForSelector('li[data-user="jabar.sup"]');
    await accessible(page);
    await page.fill('#f-username', 'rina.desa');
    await page.selectOption('#f-role', 'officer');
    await page.fill('#f-scopes', `village:${VILLAGE}`);
    // An officer of the economic unit alone, a returned worker.
    await page.uncheck('input[value="info_advocacy"]');
    await page.selectOption('#f-background', 'returned_worker');
    const password = await page.inputValue('#f-password');
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('text=Give rina.desa this password now');
    expect(await page.textContent('code.secret')).toBe(password);
    await page.waitForSelector('li[data-user="rina.desa"]:has-text("Economic enterprise")');
    const rina = (
      await as(await rig.api.token('admin-0', 'admin', 'national'))
        .get('/users')
        .expect(200)
    ).body.items.find((u: { username: string }) => u.username === 'rina.desa');
    expect(rina).toMatchObject({ units: ['economic'], background: 'returned_worker' });
    await accessible(page);
    await shot(page, 'users-en-1280');
    // A taken username is refused in words.
    await page.fill('#f-username', 'rina.desa');
    await page.fill('#f-scopes', `village:${VILLAGE}`);
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('form .problem');
    // A person's request: the access report, a legal hold that stops an erasure, its release, the erasure.
    const officer = await rig.api.token('officer-bogor', 'officer', `village:${VILLAGE}`);
    await as(officer)
      .post('/placements', { areaCode: VILLAGE, worker: { name: 'Minta Dihapus', nik: '3201014101990077', birthDate: '1999-01-01' } })
      .expect(201);
    const subject = (await as(officer).post('/subjects/lookup', { nik: '3201014101990077' }).expect(200)).body.items[0].id;
    await page.click('nav >> text=Data-subject requests');
    await page.fill('#f-subjectId', subject);
    await page.click('button:has-text("Produce the access report")');
    await page.waitForSelector('.facts dd:text-is("Minta Dihapus")');
    await page.fill('#f-hold-reason', 'court case pending');
    await page.fill('#f-hold-basis', 'UU 27/2022 art. 8');
    await page.click('button:has-text("Place a legal hold")');
    await page.waitForSelector('text=The legal hold is placed');
    await page.fill('#f-erase-reason', 'the person asked');
    await page.fill('#f-erase-basis', 'UU 27/2022 art. 8');
    expect(await page.isDisabled('form.danger button[type="submit"]')).toBe(true);
    await page.check('form.danger input[type="checkbox"]');
    await page.click('form.danger button[type="submit"]');
    expect(await (await page.waitForSelector('.problem[data-code="LEGAL_HOLD_ACTIVE"]')).textContent()).toContain('legal hold');
    await accessible(page);
    await shot(page, 'subject-requests-en-1280');
    await page.fill('#f-release-reason', 'case closed');
    await page.click('button:has-text("Release the legal hold")');
    await page.waitForSelector('text=The legal hold is released.');
    await page.click('form.danger button[type="submit"]');
    await page.waitForSelector('text=Erased: the person’s data can no longer be read anywhere.');
    await page.waitForSelector('.facts dd:text-is("Erased")');
    expect(await page.textContent('.facts')).not.toContain('Minta Dihapus');
    // Reference data: an agency licensed and given a permit, a renewal that does not extend refused in words, a moratorium declared.
    await page.click('nav >> text=Agencies and moratoriums');
    await page.fill('#agency-new-name', 'PT Sejahtera Abadi');
    await page.fill('#agency-new-licenceNumber', 'SIP3MI 77/2025');
    await page.fill('#agency-new-validFrom', '2025-01-01');
    await page.fill('#agency-new-validUntil', '2030-12-31');
    await page.click('button:has-text("License an agency") >> nth=-1');
    await page.waitForSelector('li[data-agency="PT Sejahtera Abadi"]');
    await page.click('li[data-agency="PT Sejahtera Abadi"] button:has-text("Manage")');
    const agencyItem = 'li[data-agency="PT Sejahtera Abadi"]';
    await page.fill(`${agencyItem} input[id$="-permitNumber"]`, 'SIP2MI 9/2026');
    await page.fill(`${agencyItem} input[id$="-destinationCountry"]`, 'TW');
    await page.fill(`${agencyItem} input[id^="permit-"][id$="-validFrom"]`, '2026-01-01');
    await page.fill(`${agencyItem} input[id^="permit-"][id$="-validUntil"]`, '2027-12-31');
    await page.click(`${agencyItem} button:has-text("Add a recruitment permit (SIP2MI)") >> nth=-1`);
    await page.waitForSelector(`${agencyItem} li:has-text("SIP2MI 9/2026")`);
    await page.fill(`${agencyItem} input[id^="renew-"][id$="-licenceNumber"]`, 'SIP3MI 77/2025');
    await page.fill(`${agencyItem} input[id^="renew-"][id$="-validUntil"]`, '2029-01-01');
    await page.click(`${agencyItem} button:has-text("Renew the licence") >> nth=-1`);
    expect(await (await page.waitForSelector(`${agencyItem} .problem`)).getAttribute('data-code')).toBe('INVALID_LICENCE_PERIOD');
    expect(await page.$('li[data-moratorium="KH-hospitality"]')).toBeNull();
    await page.fill('#moratorium-new-country', 'KH');
    await page.selectOption('#moratorium-new-sector', 'hospitality');
    await page.fill('#moratorium-new-legalBasis', 'Kepmenaker 260/2015');
    await page.click('button:has-text("Declare a moratorium") >> nth=-1');
    await page.waitForSelector('li[data-moratorium="KH-hospitality"]');
    expect(await page.$('form[aria-labelledby="moratorium-new-title"] .problem')).toBeNull();
    await accessible(page);
    await shot(page, 'reference-en-1280');
    await page.click('nav >> text=Read models');
    await page.waitForSelector('li[data-projection="cases"]');
    await accessible(page);
    await shot(page, 'read-models-en-1280');
    await page.click('li[data-projection="preventions"] button:has-text("Rebuild")');
    await page.waitForSelector('li[data-projection="preventions"] >> text=generation 2', { timeout: 30_000 });
    await page.click('button:has-text("Log out")');
    await login(page, 'rina.desa', password);
    await page.waitForSelector('h1:has-text("Worklist")');
    await page.context().close();
  });

  it('shows an officer of another village none of it (Bahasa Indonesia, phone)', async () => {
    const page = await loggedIn('desa.malang', 'id', PHONE);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    expect(await page.textContent('nav.nav')).not.toContain('Dasbor');
    expect(await page.textContent('nav.nav')).not.toContain('Persetujuan');
    await page.goto(`${rig.base}/app/dashboard`);
    expect(await (await page.waitForSelector('.problem')).getAttribute('data-code')).toBe('ROLE_NOT_ALLOWED');
    await page.goto(`${rig.base}/app/approvals`);
    await page.waitForSelector('h1');
    await page.waitForSelector('.items .item, main p:not(.muted)');
    for (const id of cases) expect(await page.$(`[data-case="${id}"]`)).toBeNull();
    await page.goto(`${rig.base}/app/cases`);
    await page.waitForSelector('.items .item');
    const listed = await page.$$eval('.items .item a', (links) =>
      links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')),
    );
    for (const id of cases) expect(listed).not.toContain(`/app/cases/${id}`);
    await page.goto(`${rig.base}/app/admin/users`);
    expect(await (await page.waitForSelector('.problem')).getAttribute('data-code')).toBe('ROLE_NOT_ALLOWED');
    await accessible(page);
    await page.context().close();
  });

  it('shows every page of each role in both languages at both widths: nothing wider than the screen, no serious axe violation, a screenshot each', async () => {
    const pages: Record<string, [name: string, path: string, ready: string][]> = {
      'jabar.sup': [
        ['dashboard', '/app/dashboard', '.tile'],
        ['approvals', '/app/approvals', 'h2'],
      ],
      'audit.jabar': [
        ['audit', '/app/audit', 'form'],
        ['audit-record', `/app/audit/record/case-${audited}`, '.timeline.audit li'],
        ['integrity', '/app/audit/integrity', '.items, main p'],
        ['access', '/app/audit/access', '.items, main p'],
      ],
      'admin.pusat': [
        ['users', '/app/admin/users', 'li[data-user]'],
        ['subjects', '/app/admin/subjects', 'form'],
        ['reference', '/app/admin/reference', 'li[data-moratorium]'],
        ['read-models', '/app/admin/read-models', 'li[data-projection]'],
      ],
    };
    for (const [username, list] of Object.entries(pages)) {
      for (const language of ['id', 'en'] as const) {
        for (const viewport of [PHONE, DESKTOP]) {
          const page = await loggedIn(username, language, viewport);
          for (const [name, path, ready] of list) {
            await page.goto(`${rig.base}${path}`);
            await page.waitForSelector(ready);
            expect([name, await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)]).toEqual([name, true]);
            await accessible(page);
            await shot(page, `role-${name}-${language}-${viewport.width}`);
          }
          await page.context().close();
        }
      }
    }
  }, 300_000);
});
