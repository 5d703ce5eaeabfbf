/**
 * The officers' web app in a real browser (Chromium from Debian, driven by playwright-core) against the
 * real API on the embedded store, built and served as `npm start` serves it (under /app/). Both languages,
 * a 360-pixel phone and a 1280-pixel desktop; axe-core must find no serious or critical violation on any
 * page. Screenshots of the main pages land in test/screenshots/ (git-ignored) for a person to look at.
 */
import { createHash } from 'node:crypto';

import type { Page } from 'playwright-core';
import request from 'supertest';

import {
  accessible,
  DESKTOP,
  fits,
  jakartaDay,
  login as loginAs,
  open as openIn,
  PHONE,
  shot,
  startWebRig,
  tabTo,
  type WebRig,
} from './support';

// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const window: { innerWidth: number };
declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: { id: string } | null;
  querySelectorAll(selector: string): { length: number };
};
declare const localStorage: { getItem(key: string): string | null };
declare const sessionStorage: { getItem(key: string): string | null };

const VILLAGE = '3201012001';

let rig: WebRig;
let api: WebRig['api'];
let base: string;
let admin: string;
let officer: { id: string; username: string; password: string };

beforeAll(async () => {
  rig = await startWebRig();
  ({ api, base } = rig);
  admin = await api.token('admin-1', 'admin', 'national');
  officer = { id: '', username: 'siti.aminah', password: 'kebun-kopi-2026-desa' };
  const created = await request(api.app.getHttpServer())
    .post('/users')
    .set('Authorization', `Bearer ${admin}`)
    .send({ username: officer.username, role: 'officer', scopes: [`village:${VILLAGE}`], password: officer.password })
    .expect(201);
  officer.id = created.body.id;
}, 120_000);

afterAll(() => rig?.close());

const open = (language: 'id' | 'en', viewport: { width: number; height: number }) => openIn(rig, language, viewport);
const login = (page: Page, password = officer.password) => loginAs(page, officer.username, password);

async function fillIntake(page: Page, name: string): Promise<void> {
  await page.fill('#f-worker-name', name);
  await page.check('input[value="unpaid_wages"]');
  await page.check('input[value="trafficking"]');
  await page.selectOption('#f-worker-sex', 'F');
  await page.fill('#f-destinationCountry', 'MY');
  await page.fill('#f-complaint', 'Gaji tidak dibayar selama enam bulan');
}

const casesNamed = async (name: string): Promise<number> => {
  const token = await api.token('auditor-1', 'auditor', 'national');
  const items = (await request(api.app.getHttpServer()).get('/cases?limit=200').set('Authorization', `Bearer ${token}`).expect(200)).body
    .items as { id: string }[];
  let n = 0;
  for (const item of items) {
    const view = (await request(api.app.getHttpServer()).get(`/cases/${item.id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    if (view.worker.name === name) n++;
  }
  return n;
};

describe('the officers’ web app in Chromium', () => {
  it('is served by the API under /app/: its routes get the page, hashed assets are cached, an API client at / is not redirected', async () => {
    const http = () => request(api.app.getHttpServer());
    const page = await http().get('/app/cases/new').set('Accept', 'text/html').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    // Served over plain http on a village office's network, the page must not ask for https assets.
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    // The page names the deployment's time zone for the app's dates and "today".
    expect(page.text).toContain('<meta name="jejak-timezone" content="Asia/Jakarta"');
    const asset = /\/app\/assets\/[^"]+\.js/.exec(page.text)![0];
    expect((await http().get(asset).expect(200)).headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    await http().get('/app/assets/nothing-here.js').expect(404);
    expect((await http().get('/').set('Accept', 'text/html').expect(302)).headers.location).toBe('/app/');
    await http().get('/').set('Accept', 'application/json').expect(404);
  });

  it('sends a browser from / to the app, and logs an officer in by keyboard to the worklist (Bahasa Indonesia, phone)', async () => {
    const page = await open('id', PHONE);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/app\/login/);
    expect(await page.textContent('h1')).toBe('Masuk');
    await accessible(page);
    await shot(page, 'login-id-360');
    // Keyboard only: Tab to the username, type, Tab, type, Enter.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'username'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type(officer.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(officer.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    expect(await page.evaluate(() => localStorage.getItem('jejak.session'))).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('jejak.session'))).toContain('"token"');
    await accessible(page);
    await fits(page);
    await shot(page, 'worklist-id-360');
    await page.context().close();
  });

  it('explains a refusal in the officer’s language, keeps the draft across a reload, and records the complaint', async () => {
    const page = await open('id', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.click('nav >> text=Pendampingan kasus');
    await page.click('text=Pengaduan baru');
    await page.fill('#f-worker-name', 'Siti Rahayu');
    await page.click('button[type="submit"]');
    // No category, no complaint: refused, explained in Indonesian, the fields marked.
    const problem = await page.waitForSelector('.problem');
    expect(await problem.textContent()).toContain('Beberapa isian belum benar');
    expect(await page.getAttribute('#f-complaint', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#f-complaint-error')).toBe('Wajib diisi.');
    await accessible(page);
    await shot(page, 'intake-refused-id-360');
    // A reload keeps what was typed.
    await page.reload();
    expect(await page.inputValue('#f-worker-name')).toBe('Siti Rahayu');
    await fillIntake(page, 'Siti Rahayu');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    await page.waitForSelector('text=Pengaduan diterima');
    expect(await page.textContent('h1')).toContain('Perdagangan orang (TPPO)');
    await accessible(page);
    await fits(page);
    await shot(page, 'case-id-360');
    // The draft is gone once sent.
    await page.goto(`${base}/app/cases/new`);
    expect(await page.inputValue('#f-worker-name')).toBe('');
    await page.context().close();
  });

  it('takes a case from intake to the closure request, with a referral, a claim in rupiah and evidence hashed in the browser', async () => {
    const page = await open('id', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.goto(`${base}/app/cases/new`);
    await fillIntake(page, 'Yuni Klaim');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    await page.waitForSelector('text=Pengaduan diterima');
    const step = async (title: string, fill: () => Promise<void>) => {
      await page.click(`.steps button:has-text("${title}")`);
      await page.waitForSelector('form.card h3');
      await fill();
      await page.click('form.card:has(h3) button[type="submit"]');
      const refused = await Promise.race([
        page.waitForSelector('form.card:has(h3)', { state: 'detached' }).then(() => null),
        page.waitForSelector('form.card:has(h3) .problem').then((e) => e.getAttribute('data-code')),
      ]);
      expect([title, refused]).toEqual([title, null]);
    };
    await step('Verifikasi', () => page.selectOption('#f-procedural', 'procedural').then(() => undefined));
    await step('Klasifikasi', () => page.selectOption('#f-urgency', 'high').then(() => undefined));
    await step('Mulai tindakan', async () => {
      await page.selectOption('#f-kind', 'social_security_claim');
      await page.fill('#f-amountClaimed', '15.000.000');
    });
    await step('Rujukan', async () => {
      await page.selectOption('#f-to', 'embassy');
      await page.fill('#f-organisation', 'KBRI Kuala Lumpur');
    });
    await page.waitForSelector('text=Rp 15.000.000');
    // Closure asked while the referral is open: refused, and the officer is told what to do.
    await page.click('.steps button:has-text("Ajukan penutupan")');
    await page.selectOption('#f-outcome', 'compensation_paid');
    await page.fill('#f-amountRecovered', '15000000');
    await page.click('form.card:has(h3) button[type="submit"]');
    expect(await (await page.waitForSelector('.problem')).getAttribute('data-code')).toBe('OPEN_REFERRALS');
    await accessible(page);
    await page.click('.steps button:has-text("Ajukan penutupan")');
    await step('Catat hasil: Rujukan', () => page.selectOption('#f-outcome', 'accepted').then(() => undefined));
    await step('Catat hasil: Rujukan', () => page.selectOption('#f-outcome', 'completed').then(() => undefined));
    await step('Catat hasil: Klaim jaminan sosial', () => page.fill('#f-amountPaid', '15000000'));
    await step('Tambah bukti', async () => {
      await page.setInputFiles('#f-sha256', { name: 'kuitansi.txt', mimeType: 'text/plain', buffer: Buffer.from('kuitansi BPJS') });
      await page.waitForSelector('text=SHA-256: ');
      await page.fill('#f-description', 'Kuitansi pembayaran BPJS');
    });
    await step('Ajukan penutupan', async () => {
      await page.selectOption('#f-outcome', 'compensation_paid');
      await page.fill('#f-amountRecovered', '15000000');
    });
    await page.waitForSelector('.facts dd:has-text("Diselesaikan")');
    await page.waitForSelector('.timeline li:has-text("Bukti ditambahkan")');
    // Only the hash of the file reached the server.
    const caseId = page.url().split('/').pop()!;
    const token = await api.token('auditor-2', 'auditor', 'national');
    const history = (
      await request(api.app.getHttpServer()).get(`/cases/${caseId}/history`).set('Authorization', `Bearer ${token}`).expect(200)
    ).body.items;
    expect(JSON.stringify(history)).toContain(createHash('sha256').update('kuitansi BPJS').digest('hex'));
    expect(JSON.stringify(history)).not.toContain('kuitansi BPJS"');
    await accessible(page);
    await fits(page);
    await shot(page, 'case-resolved-id-360');
    await page.context().close();
  });

  it('works in English on a desktop: the language is switched in the header and remembered', async () => {
    const token = await api.token('officer-3', 'officer', `village:${VILLAGE}`);
    await request(api.app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({
        areaCode: VILLAGE,
        channel: 'hotline',
        categories: ['lost_contact'],
        worker: { name: 'Ani' },
        relationship: 'parent',
        complainant: { name: 'Ibu Ani' },
        complaint: 'hilang kontak',
      })
      .expect(201);
    const page = await open('id', DESKTOP);
    await page.goto(`${base}/app/login`);
    await page.selectOption('.language select', 'en');
    expect(await page.textContent('h1')).toBe('Log in');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await login(page);
    await page.waitForSelector('h1:has-text("Worklist")');
    await accessible(page);
    await shot(page, 'worklist-en-1280');
    await page.click('nav >> text=Cases');
    await page.waitForSelector('.items .item');
    await accessible(page);
    await shot(page, 'cases-en-1280');
    await page.click('.items .item a');
    await page.waitForSelector('text=Complaint taken in');
    await accessible(page);
    await shot(page, 'case-en-1280');
    await page.reload();
    await page.waitForSelector('text=Complaint taken in');
    expect(await page.evaluate(() => localStorage.getItem('jejak.language'))).toBe('en');
    await page.context().close();
  });

  it('shows what changed when someone else wrote first (412), keeps the note, and saves it when sent again', async () => {
    const page = await open('en', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Worklist")');
    await page.goto(`${base}/app/cases`);
    await page.click('.items .item a');
    await page.waitForSelector('text=Complaint taken in');
    const caseId = page.url().split('/').pop()!;
    // Meanwhile another officer adds a note.
    const other = await api.token('officer-2', 'officer', `village:${VILLAGE}`);
    await request(api.app.getHttpServer())
      .post(`/cases/${caseId}/notes`)
      .set('Authorization', `Bearer ${other}`)
      .send({ text: 'called the family' })
      .expect(201);
    await page.fill('#f-text', 'visited the house');
    await page.click('form.card button[type="submit"]');
    await page.waitForSelector('text=Someone changed this case since you opened it');
    expect(await page.inputValue('#f-text')).toBe('visited the house');
    await page.waitForSelector('.timeline li:nth-child(2)');
    await page.click('form.card button[type="submit"]');
    await page.waitForSelector('text=Saved.');
    await page.waitForSelector('.timeline li:nth-child(3)');
    await page.context().close();
  });

  it('walks a placement from registration to departure, one small form per step, with a refused step explained', async () => {
    const http = () => request(api.app.getHttpServer());
    const agency = (
      await http()
        .post('/agencies')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'PT Maju Bersama', licenceNumber: 'SIP3MI 123/2024', validFrom: '2024-01-01', validUntil: '2029-12-31' })
        .expect(201)
    ).body.id;
    await http()
      .post(`/agencies/${agency}/recruitment-permits`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ permitNumber: 'SIP2MI 0042/2026', destinationCountry: 'MY', validFrom: '2024-01-01', validUntil: '2029-12-31' })
      .expect(200);
    const page = await open('id', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.click('nav >> text=Fasilitasi penempatan');
    await page.click('text=Daftarkan CPMI');
    await page.fill('#f-worker-name', 'Sari Wulandari');
    await page.fill('#f-worker-nik', '3201014501980001');
    await page.fill('#f-worker-birthDate', '1998-01-05');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/placements\/[0-9a-f-]{36}$/);
    await page.waitForSelector('text=Terdaftar');
    await accessible(page);
    await fits(page);
    await shot(page, 'placement-id-360');
    const step = async (title: string, fill: () => Promise<void>, expectDone = true) => {
      await page.click(`.steps button:has-text("${title}")`);
      await page.waitForSelector('form.card');
      await fill();
      await page.click('form.card button[type="submit"]');
      if (expectDone) await page.waitForSelector('form.card', { state: 'detached' });
    };
    const documents: [string, string, string, Record<string, string>?][] = [
      ['health_certificate', 'RS-001', 'RSUD Cibinong', { healthResult: 'fit' }],
      ['competency_certificate', 'BNSP-001', 'BNSP'],
      ['placement_agreement', 'PP-001', 'LTSA Bogor'],
      ['family_permission', 'IK-001', 'Desa Sukamaju', { acknowledgedByVillageHead: 'check' }],
      ['marital_status_letter', 'SK-001', 'Desa Sukamaju'],
      ['social_security_card', 'BPJS-001', 'BPJS Ketenagakerjaan'],
      ['passport', 'X1234567', 'Kantor Imigrasi Bogor'],
      ['work_visa', 'VISA-001', 'Kedutaan Malaysia'],
      ['employment_contract', 'PK-001', 'PT Maju Bersama', { jobOrderNumber: 'JO-2026-0042' }],
    ];
    for (const [kind, number, issuer, extra] of documents) {
      await step('Catat dokumen', async () => {
        await page.selectOption('#f-kind', kind);
        await page.fill('#f-number', number);
        await page.fill('#f-issuer', issuer);
        await page.fill('#f-issuedOn', '2026-01-15');
        await page.fill('#f-expiresOn', '2030-01-01');
        if (extra?.healthResult) await page.selectOption('#f-healthResult', extra.healthResult);
        if (extra?.acknowledgedByVillageHead) await page.check('#f-acknowledgedByVillageHead');
        if (extra?.jobOrderNumber) await page.fill('#f-jobOrderNumber', extra.jobOrderNumber);
      });
    }
    // Departure before anything else: refused, and the refusal says what to do.
    await step('Keberangkatan', () => page.fill('#f-route', 'CGK-KUL'), false);
    expect(await (await page.waitForSelector('.problem')).getAttribute('data-code')).toBe('PREREQUISITE_MISSING');
    expect(await page.textContent('.problem')).toContain('Langkah sebelumnya belum dicatat');
    await accessible(page);
    await page.click('.steps button:has-text("Keberangkatan")');
    await step('Pilih job order', async () => {
      await page.fill('#f-agencyId', agency);
      await page.fill('#f-jobOrderNumber', 'JO-2026-0042');
      await page.fill('#f-destinationCountry', 'MY');
      await page.selectOption('#f-sector', 'manufacturing');
      await page.selectOption('#f-employerType', 'legal_entity');
      await page.fill('#f-recruitmentPermitNumber', 'SIP2MI 0042/2026');
      await page.fill('#f-position', 'operator produksi');
    });
    const pick = async (field: string): Promise<void> => void (await page.selectOption(`#f-${field}`, { index: 1 }));
    await step('Pemeriksaan kesehatan', () => pick('documentId'));
    await step('Sertifikat kompetensi', () => pick('documentId'));
    await step('Perjanjian penempatan', async () => {
      await pick('agreementDocumentId');
      await pick('familyPermissionDocumentId');
      await pick('maritalStatusDocumentId');
      await page.fill('#f-ltsa', 'LTSA Kabupaten Bogor');
    });
    await step('Jaminan sosial', () => pick('documentId'));
    await step('Dokumen lengkap', async () => {
      await pick('passportDocumentId');
      await pick('visaDocumentId');
      await pick('contractDocumentId');
    });
    await step('OPP (Orientasi Pra Pemberangkatan)', () => page.fill('#f-place', 'BP3MI Jawa Barat'));
    await step('Keberangkatan', () => page.fill('#f-route', 'CGK-KUL'));
    await page.waitForSelector('.stepper li.done:has-text("Keberangkatan")');
    expect(await page.locator('.stepper li.done').count()).toBe(8);
    await page.waitForSelector('.timeline li:has-text("Berangkat")');
    await accessible(page);
    await fits(page);
    await shot(page, 'placement-departed-id-360');
    await page.context().close();
  });

  it('reports non-procedural recruitment whose outcome opens a legal placement, then follows the link (English)', async () => {
    const page = await open('en', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Worklist")');
    await page.click('nav >> text=Prevention');
    await page.click('text=New report');
    await page.selectOption('#f-source', 'village_official');
    await page.fill('#f-person-name', 'Rudi Hartono');
    await page.fill('#f-person-nik', '3201010101950002');
    await page.fill('#f-person-birthDate', '1995-01-01');
    await page.fill('#f-destinationCountry', 'MY');
    await page.check('input[value="upfront_payment"]');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/preventions\/[0-9a-f-]{36}$/);
    await page.waitForSelector('text=Reported');
    await accessible(page);
    await shot(page, 'prevention-en-360');
    await page.click('.steps button:has-text("Confirm: Money paid up front")');
    await page.click('form.card button[type="submit"]');
    await page.waitForSelector('.items .tag:has-text("Confirmed")');
    await page.click('.steps button:has-text("Record the outcome")');
    await page.selectOption('#f-outcome', 'redirected_to_legal_placement');
    await page.click('form.card button[type="submit"]');
    // The process manager registers the legal placement; the page shows the link when it is there.
    await page.click('text=The legal placement opened from this report', { timeout: 30_000 });
    await page.waitForURL(/\/app\/placements\/[0-9a-f-]{36}$/);
    expect(await page.textContent('h1')).toContain('Rudi Hartono');
    await accessible(page);
    await fits(page);
    await page.context().close();
  });

  it('writes once on a double submit', async () => {
    const page = await open('id', DESKTOP);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.goto(`${base}/app/cases/new`);
    await fillIntake(page, 'Dewi Dua Kali');
    await page.dblclick('button[type="submit"]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    expect(await casesNamed('Dewi Dua Kali')).toBe(1);
    await page.context().close();
  });

  it('returns to the form after a 401 in the middle of it, with what was typed, and sends it', async () => {
    const page = await open('id', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.goto(`${base}/app/cases/new`);
    await fillIntake(page, 'Rina Sesi Habis');
    // An administrator resets the officer's password: the session's token is refused from now on.
    await request(api.app.getHttpServer())
      .post(`/users/${officer.id}/password`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ password: 'kopi-baru-2026-desa' })
      .expect(200);
    officer.password = 'kopi-baru-2026-desa';
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/login\?next=%2Fcases%2Fnew&expired=1/);
    expect(await page.textContent('.notice')).toContain('Sesi Anda berakhir');
    await login(page);
    await page.waitForURL(/\/app\/cases\/new$/);
    expect(await page.inputValue('#f-worker-name')).toBe('Rina Sesi Habis');
    expect(await page.inputValue('#f-complaint')).toBe('Gaji tidak dibayar selama enam bulan');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    expect(await casesNamed('Rina Sesi Habis')).toBe(1);
    await page.context().close();
  });

  it('finds a person by NIK with the keyboard alone, opens their placement, and warns of a document about to expire (English, desktop)', async () => {
    const http = () => request(api.app.getHttpServer());
    const token = await api.token('officer-4', 'officer', `village:${VILLAGE}`);
    const nik = '3201014501980009';
    const placement = (
      await http()
        .post('/placements')
        .set('Authorization', `Bearer ${token}`)
        .send({ areaCode: VILLAGE, worker: { name: 'Lina Marlina', nik, birthDate: '1998-01-05' } })
        .expect(201)
    ).body;
    // A passport that runs out in 30 days where the office is, and a visa already expired.
    await http()
      .post(`/placements/${placement.id}/documents`)
      .set('Authorization', `Bearer ${token}`)
      .send({ kind: 'passport', number: 'C7654321', issuer: 'Kantor Imigrasi Bogor', issuedOn: '2021-01-04', expiresOn: jakartaDay(30) })
      .expect(201);
    await http()
      .post(`/placements/${placement.id}/documents`)
      .set('Authorization', `Bearer ${token}`)
      .send({ kind: 'work_visa', number: 'V-1', issuer: 'Kedutaan Malaysia', issuedOn: '2021-01-04', expiresOn: '2024-01-01' })
      .expect(201);
    const page = await open('en', DESKTOP);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Worklist")');
    await tabTo(page, 'nav a[href="/app/people"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:has-text("Find a person by NIK")');
    await accessible(page);
    // Not known: said so, with where to start a record.
    await tabTo(page, '#f-nik');
    await page.keyboard.type('3201014501989999');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=No one is registered with this NIK');
    await accessible(page);
    await page.fill('#f-nik', '');
    await page.keyboard.type(nik);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/people\/[0-9a-f-]{36}$/);
    // The NIK went in a request body: never in an address.
    expect(page.url()).not.toContain(nik);
    await page.waitForSelector('h1:has-text("Lina Marlina")');
    await page.waitForSelector(`.items a[href="/app/placements/${placement.id}"]`);
    expect(await page.textContent('main')).toContain('None in your territory.');
    await accessible(page);
    await shot(page, 'person-en-1280');
    await tabTo(page, `.items a[href="/app/placements/${placement.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/app/placements/${placement.id}$`));
    await page.waitForSelector('text=1 document expires within 90 days: renew it before departure.');
    expect(await page.textContent('.items .item.soon')).toContain('expires in 30 days');
    expect(await page.textContent('.items .item.overdue')).toContain('Expired');
    // Who did what, by name.
    await page.waitForSelector('.timeline li');
    expect(await page.textContent('.timeline')).toContain('officer-4');
    // A step by keyboard: its button opens the form and puts the focus in it.
    await tabTo(page, '.steps button:has-text("Withdrawal")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form.card');
    await page.keyboard.type('Chose to stay in the village');
    await tabTo(page, 'form.card button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Withdrawn');
    await page.waitForSelector(`.timeline li:has-text("Withdrawn"):has-text("${officer.username}")`);
    await accessible(page);
    await shot(page, 'placement-expiring-en-1280');
    await page.context().close();
  });

  it('pages a list with the API’s cursor and filters it, the filters kept in the address across a reload (Bahasa Indonesia, phone)', async () => {
    const http = () => request(api.app.getHttpServer());
    const token = await api.token('officer-5', 'officer', `village:${VILLAGE}`);
    let last = '';
    for (let i = 0; i < 21; i++) {
      const res = await http()
        .post('/placements')
        .set('Authorization', `Bearer ${token}`)
        .send({
          areaCode: VILLAGE,
          worker: { name: `Calon ${i}`, nik: `32010150010100${String(i).padStart(2, '0')}`, birthDate: '2000-01-01' },
        })
        .expect(201);
      last = res.body.id;
    }
    await http()
      .post(`/placements/${last}/departure-failure`)
      .set('Authorization', `Bearer ${token}`)
      .send({ reason: 'sakit' })
      .expect(200);
    const page = await open('id', PHONE);
    await page.goto(`${base}/app/login`);
    await login(page);
    await page.waitForSelector('h1:has-text("Daftar tugas")');
    await page.click('nav >> text=Fasilitasi penempatan');
    await page.waitForSelector('.items .item');
    expect(await page.locator('.items .item').count()).toBe(20);
    await page.click('button:has-text("Muat lebih banyak")');
    await page.waitForFunction(() => document.querySelectorAll('.items .item').length > 20);
    await accessible(page);
    await fits(page);
    await shot(page, 'placements-id-360');
    // The filters fold away on a phone until asked for.
    expect(await page.isVisible('.filters')).toBe(false);
    await page.click('.filter-box summary');
    await page.selectOption('.filters select >> nth=0', 'failed_to_depart');
    await page.click('.filters button[type="submit"]');
    await page.waitForURL(/\/app\/placements\?status=failed_to_depart$/);
    await page.waitForFunction(() => document.querySelectorAll('.items .item').length === 1);
    expect(await page.getAttribute('.items .item a', 'href')).toBe(`/app/placements/${last}`);
    await page.reload();
    await page.waitForSelector('.items .item');
    expect(await page.locator('.items .item').count()).toBe(1);
    expect(await page.inputValue('.filters select >> nth=0')).toBe('failed_to_depart');
    expect(await page.textContent('.filter-box summary')).toBe('Saring (1 diterapkan)');
    await accessible(page);
    await fits(page);
    await shot(page, 'placements-filtered-id-360');
    await page.click('.filters button:has-text("Hapus saringan")');
    await page.waitForURL(/\/app\/placements$/);
    await page.waitForFunction(() => document.querySelectorAll('.items .item').length === 20);
    await page.context().close();
  });

  it('shows every main page in both languages at both widths: nothing wider than the screen, no serious axe violation, a screenshot each', async () => {
    const http = () => request(api.app.getHttpServer());
    const token = await api.token('officer-6', 'officer', `village:${VILLAGE}`);
    const nik = '3201014501980077';
    const placement = (
      await http()
        .post('/placements')
        .set('Authorization', `Bearer ${token}`)
        .send({ areaCode: VILLAGE, worker: { name: 'Maya Sari', nik, birthDate: '1997-05-05' } })
        .expect(201)
    ).body;
    const opened = (
      await http()
        .post('/cases')
        .set('Authorization', `Bearer ${token}`)
        .send({
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['unpaid_wages'],
          worker: { name: 'Maya Sari', nik },
          relationship: 'self',
          complaint: 'gaji tidak dibayar',
        })
        .expect(201)
    ).body;
    const reported = (
      await http()
        .post('/preventions')
        .set('Authorization', `Bearer ${token}`)
        .send({ areaCode: VILLAGE, source: 'family', person: { name: 'Maya Sari', nik }, flags: [{ flag: 'upfront_payment' }] })
        .expect(201)
    ).body;
    const subject = (await http().post('/subjects/lookup').set('Authorization', `Bearer ${token}`).send({ nik }).expect(200)).body.items[0]
      .id;
    const pages: [string, string, string][] = [
      ['login', '/app/login', 'form'],
      ['worklist', '/app/', '.items, main p'],
      ['cases', '/app/cases', '.items'],
      ['case-new', '/app/cases/new', 'form'],
      ['case', `/app/cases/${opened.id}`, '.timeline li'],
      ['placements', '/app/placements', '.items'],
      ['placement-new', '/app/placements/new', 'form'],
      ['placement', `/app/placements/${placement.id}`, '.timeline li'],
      ['preventions', '/app/preventions', '.items'],
      ['prevention-new', '/app/preventions/new', 'form'],
      ['prevention', `/app/preventions/${reported.id}`, '.timeline li'],
      ['people', '/app/people', 'form'],
      ['person', `/app/people/${subject}`, '.items'],
    ];
    for (const language of ['id', 'en'] as const) {
      for (const viewport of [PHONE, DESKTOP]) {
        const page = await open(language, viewport);
        await page.goto(`${base}/app/login`);
        await login(page);
        await page.waitForSelector('nav');
        for (const [name, path, ready] of pages) {
          if (name === 'login') continue;
          await page.goto(`${base}${path}`);
          await page.waitForSelector(ready);
          await page.waitForSelector('[role="status"]:has-text("…")', { state: 'detached' }).catch(() => undefined);
          expect([name, await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)]).toEqual([name, true]);
          await accessible(page);
          await shot(page, `all-${name}-${language}-${viewport.width}`);
        }
        await page.click('button:has-text("' + (language === 'id' ? 'Keluar' : 'Log out') + '")');
        await page.waitForSelector('#username');
        await accessible(page);
        await shot(page, `all-login-${language}-${viewport.width}`);
        await page.context().close();
      }
    }
  }, 300_000);
});
