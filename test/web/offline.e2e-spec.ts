/**
 * Field work without signal, in a real browser with the network cut by the browser itself (Chromium's
 * network emulation through playwright-core), against the real API on the embedded store:
 *
 * - two officers open the same case, both lose signal, each records notes; when both come back, every note
 *   the server accepted is in the history exactly once, the conflicting one is shown to its officer, and
 *   nothing is written that the officer did not confirm (one step dropped, one re-applied);
 * - a placement registered without signal, with two documents and three steps, syncs as one ordered history
 *   whose `occurredAt` are the times the officer made each step;
 * - a tab closed without signal keeps its queue when opened again (the app shell from the service worker,
 *   the record from the sealed cache); what the device keeps is sealed with a key no script can export;
 *   logging out warns of the unsent step, then wipes queue and cache;
 * - a step whose answer was lost is sent again with its key and written once; a refused record does not hold
 *   up another; a step the officer changed is sent on the record as it is now;
 * - a session ended by a password reset wipes the cached records, keeps the unsent step, and sends it after
 *   the same officer logs in again.
 */
import type { Page } from 'playwright-core';
import request from 'supertest';

import { caseIntake } from '../support/bodies';
import { accessible, DESKTOP, fits, login, open, PHONE, shot, startWebRig, type WebRig } from './support';

// What the callbacks run inside the page see (this project compiles without the DOM library).
declare const navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
declare const caches: { keys(): Promise<string[]>; match(url: string): Promise<unknown> };
declare const indexedDB: {
  open(name: string): IdbRequest<IdbDatabase>;
  databases(): Promise<{ name: string }[]>;
};
interface IdbRequest<T> {
  result: T;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  transaction(store: string): { objectStore(name: string): { getAll(): IdbRequest<unknown[]>; get(key: string): IdbRequest<unknown> } };
  close(): void;
}
declare const crypto: { subtle: { exportKey(format: string, key: unknown): Promise<unknown> } };
declare const TextDecoder: new () => { decode(data: unknown): string };

const VILLAGE = '3201012001';
const PASSWORD = 'kebun-salak-2026-desa';

let rig: WebRig;
let reader: string;
const http = () => request(rig.api.app.getHttpServer());

beforeAll(async () => {
  rig = await startWebRig();
  const admin = await rig.api.token('admin-1', 'admin', 'national');
  for (const username of [
    'penggerak.ani',
    'penggerak.budi',
    'penggerak.citra',
    'penggerak.dewi',
    'penggerak.eka',
    'penggerak.fajar',
    'penggerak.reader',
  ]) {
    await http()
      .post('/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username, role: 'officer', scopes: [`village:${VILLAGE}`], password: PASSWORD })
      .expect(201);
  }
  // Who sets up the cases and reads the histories: another officer of the village, through the API.
  reader = (await http().post('/auth/login').send({ username: 'penggerak.reader', password: PASSWORD }).expect(200)).body.token as string;
}, 120_000);

afterAll(() => rig?.close());

const ready = (page: Page, selector: string) => page.waitForSelector(selector, { timeout: 15_000 });

async function loggedIn(language: 'id' | 'en', viewport: { width: number; height: number }, username: string, path: string) {
  const page = await open(rig, language, viewport);
  await page.goto(`${rig.base}/app/login?next=${encodeURIComponent(path)}`);
  await login(page, username, PASSWORD);
  await page.waitForURL((url) => url.pathname === `/app${path}`, { timeout: 15_000 });
  // The app shell is installed (the service worker controls the page and holds the page and its assets).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return true;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  return page;
}

/** The paths whose answers the device keeps (sealed) in its cache: ids only, in clear. */
const cachedPaths = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const opened = indexedDB.open('jejak-offline');
        opened.onsuccess = () => {
          const db = opened.result;
          if (!db.objectStoreNames.contains('cache')) return resolve([]);
          const all = db.transaction('cache').objectStore('cache').getAll();
          all.onsuccess = () => {
            resolve(all.result.map((row) => (row as { path: string }).path));
            db.close();
          };
        };
        opened.onerror = () => resolve([]);
      }),
  );

/** Waits until the device keeps a record and its history (the app writes its cache after showing them). */
async function kept(page: Page, record: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const paths = await cachedPaths(page);
    if (paths.includes(record) && paths.includes(`${record}/history`)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${record} was never cached`);
}

const openCase = async (name: string): Promise<string> =>
  (await http().post('/cases').set('Authorization', `Bearer ${reader}`).send(caseIntake(VILLAGE, name)).expect(201)).body.id as string;

interface Entry {
  type: string;
  revision: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { occurredAt?: string; actorId?: string };
}
const historyOf = async (record: string): Promise<Entry[]> =>
  (await http().get(`${record}/history`).set('Authorization', `Bearer ${reader}`).expect(200)).body.items as Entry[];
const notesOf = async (caseId: string): Promise<string[]> =>
  (await historyOf(`/cases/${caseId}`)).filter((e) => e.type === 'CaseNoteAdded').map((e) => String(e.data.text));

/** Adds a note; the textarea empties once it is recorded (here: kept on the device). */
async function addNote(page: Page, text: string) {
  await page.fill('#f-text', text);
  await page.click('form:has(#f-text) button[type="submit"]');
  await page.waitForFunction((value) => (document.querySelector('#f-text') as unknown as { value: string })?.value !== value, text);
  await page.waitForSelector('form:has(#f-text) [role="status"]');
}
declare const document: { querySelector(selector: string): unknown };

it('keeps two officers’ offline notes on one case apart: each accepted once, the conflict shown, nothing unconfirmed written', async () => {
  const caseId = await openCase('Siti Aminah');
  const ani = await loggedIn('en', DESKTOP, 'penggerak.ani', `/cases/${caseId}`);
  const budi = await loggedIn('id', PHONE, 'penggerak.budi', `/cases/${caseId}`);
  for (const page of [ani, budi]) {
    await ready(page, 'dl.facts');
    await page.waitForSelector('.timeline li');
    // The case and its history are on the device before the signal goes.
    await kept(page, `/cases/${caseId}`);
    await page.context().setOffline(true);
  }

  // Without signal both go on working on what they last saw.
  await ani.reload();
  await ready(ani, 'dl.facts');
  await ready(ani, '.queue-status .offline');
  await addNote(ani, 'Ani: employer called back');
  await addNote(ani, 'Ani: worker will send the payslips');
  await ready(ani, '.queue-status a:has-text("2 steps waiting to sync")');
  await ready(ani, '.card.pending li:nth-child(2)');
  await accessible(ani);
  await shot(ani, 'offline-pending-en-desktop');

  await addNote(budi, 'Budi: keluarga datang ke kantor desa');
  await addNote(budi, 'Budi: keluarga membawa kontrak kerja');
  await ready(budi, '.queue-status a:has-text("2 langkah menunggu dikirim")');
  await fits(budi);
  await shot(budi, 'offline-pending-id-phone');
  expect(await notesOf(caseId)).toEqual([]);

  // Ani's signal comes back first: her two notes go, in order.
  await ani.context().setOffline(false);
  await ani.waitForSelector('.queue-status a', { state: 'detached', timeout: 20_000 });
  expect(await notesOf(caseId)).toEqual(['Ani: employer called back', 'Ani: worker will send the payslips']);

  // Budi's first note was made on the case as it was before Ani's: refused (412), held with the one after it.
  await budi.context().setOffline(false);
  await ready(budi, '.queue-status a.late:has-text("1 perlu keputusan Anda")');
  expect(await notesOf(caseId)).toEqual(['Ani: employer called back', 'Ani: worker will send the payslips']);
  await budi.click('.queue-status a');
  await ready(budi, 'h1:has-text("Menunggu dikirim")');
  const decision = await ready(budi, '.decision');
  expect(await decision.getAttribute('aria-label')).toBe('Keputusan Anda');
  expect(await budi.getAttribute('.decision .problem', 'data-code')).toBe('PRECONDITION_FAILED');
  // What changed on the server: Ani's two notes, by her.
  await budi.waitForSelector('.decision .timeline li:nth-child(2)');
  expect(await budi.locator('.decision .timeline li').count()).toBe(2);
  expect(await budi.textContent('.decision .timeline')).toContain('penggerak.ani');
  expect(await budi.textContent('.decision dl.facts')).toContain('Budi: keluarga datang ke kantor desa');
  await accessible(budi);
  await fits(budi);
  await shot(budi, 'offline-conflict-id-phone');

  // Budi drops his first note (after saying so), then re-applies the second to the new state.
  budi.once('dialog', (dialog) => void dialog.dismiss());
  await budi.click('.decision button:has-text("Buang")');
  await budi.waitForTimeout(300);
  expect(await budi.locator('.items > li').count()).toBe(2);
  budi.once('dialog', (dialog) => void dialog.accept());
  await budi.click('.decision button:has-text("Buang")');
  await budi.waitForFunction(() => (document.querySelector('.items') as unknown as { children: { length: number } }).children.length === 1);
  const after = await ready(budi, '.decision .problem');
  expect(await after.getAttribute('data-code')).toBe('AFTER_DROPPED');
  expect(await notesOf(caseId)).toEqual(['Ani: employer called back', 'Ani: worker will send the payslips']);
  await budi.click('.decision button:has-text("Terapkan lagi pada keadaan baru")');
  await ready(budi, 'text=Tidak ada yang menunggu');

  // Each accepted note exactly once, in the order accepted; the dropped one never.
  expect(await notesOf(caseId)).toEqual([
    'Ani: employer called back',
    'Ani: worker will send the payslips',
    'Budi: keluarga membawa kontrak kerja',
  ]);
  await ani.context().close();
  await budi.context().close();
}, 120_000);

it('syncs a placement registered offline, with documents and three steps, as one ordered history at the times they were made', async () => {
  const admin = await rig.api.token('admin-1', 'admin', 'national');
  const agency = (
    await http()
      .post('/agencies')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'PT Maju Bersama', licenceNumber: 'SIP3MI 123/2024', validFrom: '2024-01-01', validUntil: '2029-12-31' })
      .expect(201)
  ).body.id as string;
  await http()
    .post(`/agencies/${agency}/recruitment-permits`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ permitNumber: 'SIP2MI 0042/2026', destinationCountry: 'MY', validFrom: '2024-01-01', validUntil: '2029-12-31' })
    .expect(200);
  const page = await loggedIn('en', PHONE, 'penggerak.citra', '/placements/new');
  await ready(page, 'h1:has-text("Register")');
  await page.context().setOffline(true);
  const made: number[] = [];
  const now = () => page.evaluate(() => Date.now());

  made.push(await now());
  await page.fill('#f-worker-name', 'Rina Marlina');
  await page.fill('#f-worker-nik', '3201014501990002');
  await page.fill('#f-worker-birthDate', '1999-01-05');
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/app\/placements\/[0-9a-f-]{36}$/);
  const placementId = page.url().split('/').pop()!;
  await ready(page, 'h1:has-text("Rina Marlina")');

  const step = async (title: string, fill: () => Promise<void>) => {
    await page.click(`.steps button:has-text("${title}")`);
    await page.waitForSelector('form.card');
    await fill();
    made.push(await now());
    await page.click('form.card button[type="submit"]');
    await page.waitForSelector('form.card', { state: 'detached' });
  };
  for (const [kind, number, issuer] of [
    ['health_certificate', 'RS-002', 'RSUD Cibinong'],
    ['competency_certificate', 'BNSP-002', 'BNSP'],
  ] as const) {
    await step('Record a document', async () => {
      await page.selectOption('#f-kind', kind);
      await page.fill('#f-number', number);
      await page.fill('#f-issuer', issuer);
      await page.fill('#f-issuedOn', '2026-01-15');
      await page.fill('#f-expiresOn', '2030-01-01');
      if (kind === 'health_certificate') await page.selectOption('#f-healthResult', 'fit');
    });
  }
  await step('Select a job order', async () => {
    await page.fill('#f-agencyId', agency);
    await page.fill('#f-jobOrderNumber', 'JO-2026-0043');
    await page.fill('#f-destinationCountry', 'MY');
    await page.selectOption('#f-sector', 'manufacturing');
    await page.selectOption('#f-employerType', 'legal_entity');
    await page.fill('#f-recruitmentPermitNumber', 'SIP2MI 0042/2026');
    await page.fill('#f-position', 'operator produksi');
  });
  // The documents recorded on the device are offered to the steps that need them.
  await step('Medical check', async () => void (await page.selectOption('#f-documentId', { index: 1 })));
  await step('Competency certificate', async () => void (await page.selectOption('#f-documentId', { index: 1 })));
  await ready(page, '.queue-status a:has-text("6 steps waiting to sync")');
  // The page shows the steps as made: three milestones reached, both documents, six steps waiting.
  expect(await page.locator('.stepper li.done').count()).toBe(3);
  expect(await page.locator('.card.pending li').count()).toBe(6);
  await accessible(page);
  await fits(page);
  await shot(page, 'offline-placement-en-phone');
  await http().get(`/placements/${placementId}`).set('Authorization', `Bearer ${reader}`).expect(404);

  const back = Date.now();
  await page.waitForTimeout(50);
  await page.context().setOffline(false);
  await page.waitForSelector('.queue-status a', { state: 'detached', timeout: 30_000 });
  await ready(page, '.timeline li:nth-child(6)');

  const history = await historyOf(`/placements/${placementId}`);
  const commands = history.filter((e) => e.metadata.occurredAt !== undefined || e.revision === 0);
  expect(history.map((e) => e.type)).toEqual([
    'PlacementRegistered',
    'PlacementDocumentRecorded',
    'PlacementDocumentRecorded',
    'WorkerSelectedForJobOrder',
    'MedicalClearanceRecorded',
    'CompetencyCertified',
  ]);
  expect(commands).toHaveLength(6);
  // Each step carries the time it was made on the device (not the time it reached the server).
  history.forEach((e, i) => {
    const at = Date.parse(e.metadata.occurredAt!);
    expect(at).toBeGreaterThanOrEqual(Math.floor(made[i]! / 1000) * 1000);
    expect(at).toBeLessThan(back);
    expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(back);
  });
  await page.context().close();
}, 120_000);

it('keeps the queue of a tab closed without signal, and wipes queue and cache at logout after a warning', async () => {
  const caseId = await openCase('Yanti Susanti');
  const page = await loggedIn('id', PHONE, 'penggerak.dewi', `/cases/${caseId}`);
  await ready(page, 'dl.facts');
  await page.waitForSelector('.timeline li');
  await kept(page, `/cases/${caseId}`);
  const context = page.context();
  await context.setOffline(true);
  await addNote(page, 'Dewi: kunjungan rumah, pekerja sakit');
  await ready(page, '.queue-status a:has-text("1 langkah menunggu dikirim")');

  // Sealed at rest: the worker's name and the note are nowhere in the device's database in clear, and the
  // key cannot be exported by any script.
  const atRest = await page.evaluate(
    () =>
      new Promise<{ text: string; exportable: boolean }>((resolve) => {
        const opened = indexedDB.open('jejak-offline');
        opened.onsuccess = () => {
          const db = opened.result;
          const rows: unknown[] = [];
          const cache = db.transaction('cache').objectStore('cache').getAll();
          cache.onsuccess = () => {
            rows.push(...cache.result);
            const queue = db.transaction('queue').objectStore('queue').getAll();
            queue.onsuccess = () => {
              rows.push(...queue.result);
              const key = db.transaction('meta').objectStore('meta').get('key');
              key.onsuccess = () => {
                const text = rows
                  .map((r) => {
                    const row = r as { data: unknown; sealed?: { data: unknown } };
                    return JSON.stringify(r) + new TextDecoder().decode(row.sealed?.data ?? row.data);
                  })
                  .join('\n');
                crypto.subtle.exportKey('raw', (key.result as { key: unknown }).key).then(
                  () => resolve({ text, exportable: true }),
                  () => resolve({ text, exportable: false }),
                );
              };
            };
          };
        };
      }),
  );
  expect(atRest.text.length).toBeGreaterThan(100);
  expect(atRest.text).not.toContain('Yanti');
  expect(atRest.text).not.toContain('kunjungan rumah');
  expect(atRest.exportable).toBe(false);

  // The phone closes the tab; the officer opens the app again, still without signal.
  await page.close();
  const again = await context.newPage();
  await again.goto(`${rig.base}/app/cases/${caseId}`);
  await ready(again, 'dl.facts');
  expect(await again.textContent('dl.facts')).toContain('Yanti Susanti');
  await ready(again, '.queue-status a:has-text("1 langkah menunggu dikirim")');
  await ready(again, '.card.pending li');

  // Logging out warns that a step is unsent; cancelling keeps everything, confirming wipes the device.
  let warning = '';
  again.once('dialog', (dialog) => {
    warning = dialog.message();
    void dialog.dismiss();
  });
  await again.click('button:has-text("Keluar")');
  await again.waitForTimeout(300);
  expect(warning).toContain('1 langkah belum terkirim');
  expect(await again.locator('.queue-status a').count()).toBe(1);
  again.once('dialog', (dialog) => void dialog.accept());
  await again.click('button:has-text("Keluar")');
  await again.waitForURL(/\/app\/login/);
  expect(await again.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('jejak-offline');
  await context.setOffline(false);
  expect(await notesOf(caseId)).toEqual([]);
  // Coming back online wakes the sync and the header's count: neither may bring the database back.
  await again.waitForTimeout(500);
  expect(await again.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('jejak-offline');
  // The shell stays (it holds nothing personal); the page opens again and asks for a login.
  expect((await again.evaluate(() => caches.keys())).some((name) => name.startsWith('jejak-shell-'))).toBe(true);
  await context.close();
}, 120_000);

it('writes once a step whose answer was lost, keeps other records syncing past a refused one, and sends a step the officer changed', async () => {
  const [first, second] = [await openCase('Lina Marlina'), await openCase('Sri Wahyuni')];
  const page = await loggedIn('en', DESKTOP, 'penggerak.eka', `/cases/${first}`);
  await ready(page, 'dl.facts');
  await kept(page, `/cases/${first}`);
  await page.goto(`${rig.base}/app/cases/${second}`);
  await ready(page, 'dl.facts');
  await kept(page, `/cases/${second}`);
  const context = page.context();
  await context.setOffline(true);
  await addNote(page, 'Eka: the family has no news');
  await page.goto(`${rig.base}/app/cases/${first}`);
  await ready(page, 'dl.facts');
  await addNote(page, 'Eka: employer promised to pay on Friday');
  await ready(page, '.queue-status a:has-text("2 steps waiting to sync")');
  // Meanwhile a colleague writes on the second case: the officer's note on it will be refused (412).
  await http()
    .post(`/cases/${second}/notes`)
    .set('Authorization', `Bearer ${reader}`)
    .send({ text: 'Reader: called the agency' })
    .expect(201);

  // The first case's note reaches the server, but its answer is lost on the way back.
  let lost = 0;
  await context.route(`**/cases/${first}/notes`, async (route) => {
    await route.fetch();
    lost++;
    await route.abort('connectionreset');
  });
  await context.setOffline(false);
  await page.goto(`${rig.base}/app/sync`);
  await ready(page, '.decision .problem[data-code="PRECONDITION_FAILED"]');
  for (let i = 0; i < 100 && lost === 0; i++) await page.waitForTimeout(100);
  // A sync woken twice (back online, the sync page opening) may send it twice: the key makes that harmless.
  expect(lost).toBeGreaterThanOrEqual(1);
  await context.unroute(`**/cases/${first}/notes`);
  expect(await notesOf(first)).toEqual(['Eka: employer promised to pay on Friday']);
  // Sent again with its key: answered as the first time, written once, and cleared.
  await page.click('button:has-text("Sync now")');
  await page.waitForFunction(() => (document.querySelector('.items') as unknown as { children: { length: number } }).children.length === 1);
  expect(await notesOf(first)).toEqual(['Eka: employer promised to pay on Friday']);

  // The officer changes the refused note and sends it on the case as it is now.
  await page.click('.decision button:has-text("Change")');
  await page.fill('.decision form input', 'Eka: the family has no news; the agency was called');
  await accessible(page);
  await page.click('.decision form button[type="submit"]');
  await ready(page, 'text=Nothing is waiting');
  expect(await notesOf(second)).toEqual(['Reader: called the agency', 'Eka: the family has no news; the agency was called']);
  await context.close();
}, 120_000);

/** How many rows a store of the device's database holds (-1: no database). */
const rows = (page: Page, store: string) =>
  page.evaluate(
    async (name) =>
      (await indexedDB.databases()).some((d) => d.name === 'jejak-offline')
        ? new Promise<number>((resolve) => {
            const opened = indexedDB.open('jejak-offline');
            opened.onsuccess = () => {
              const all = opened.result.transaction(name).objectStore(name).getAll();
              all.onsuccess = () => {
                resolve(all.result.length);
                opened.result.close();
              };
            };
          })
        : -1,
    store,
  );

it('wipes the cached records when the session ends, keeps the unsent step for the same officer, and sends it after the next login', async () => {
  const caseId = await openCase('Nur Aini');
  const page = await loggedIn('id', PHONE, 'penggerak.fajar', `/cases/${caseId}`);
  await ready(page, 'dl.facts');
  await kept(page, `/cases/${caseId}`);
  await page.context().setOffline(true);
  await addNote(page, 'Fajar: pekerja sudah pulang ke desa');
  await ready(page, '.queue-status a:has-text("1 langkah menunggu dikirim")');

  // An administrator resets the officer's password meanwhile: the token ends, the next call is a 401.
  const admin = await rig.api.token('admin-1', 'admin', 'national');
  const users = (await http().get('/users').set('Authorization', `Bearer ${admin}`).expect(200)).body.items as {
    id: string;
    username: string;
  }[];
  const fajar = users.find((u) => u.username === 'penggerak.fajar')!.id;
  await http()
    .post(`/users/${fajar}/password`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ password: 'kata sandi baru yang panjang' })
    .expect(200);
  await page.context().setOffline(false);
  await page.waitForURL(/\/app\/login\?.*expired=1/, { timeout: 20_000 });
  for (let i = 0; i < 50 && (await rows(page, 'cache')) !== 0; i++) await page.waitForTimeout(100);
  expect(await rows(page, 'cache')).toBe(0);
  expect(await rows(page, 'queue')).toBe(1);
  expect(await notesOf(caseId)).toEqual([]);

  // The same officer logs in again: the step is sent, once, and the page they were on comes back.
  await login(page, 'penggerak.fajar', 'kata sandi baru yang panjang');
  await page.waitForURL(new RegExp(`/app/cases/${caseId}$`), { timeout: 15_000 });
  for (let i = 0; i < 100 && (await rows(page, 'queue')) !== 0; i++) await page.waitForTimeout(100);
  expect(await rows(page, 'queue')).toBe(0);
  expect(await notesOf(caseId)).toEqual(['Fajar: pekerja sudah pulang ke desa']);
  await page.context().close();
}, 120_000);
