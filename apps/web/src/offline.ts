/**
 * Working without signal. Three things live on the device, in one IndexedDB database, all of it sealed with
 * an AES-GCM key that the browser made at login as non-extractable (no script, this app's included, can
 * read its bytes out; it can only ask the browser to use it):
 *
 * - the session (so a tab the phone closed comes back logged in, until the token expires);
 * - the answers of the officer's worklist and of the records they opened (read back when there is no
 *   network, newest 400 kept);
 * - the queue: each command made without network, as the command it was, with its Idempotency-Key, the
 *   If-Match of what the officer saw and X-Occurred-At of when they made it.
 *
 * Back online the queue is sent in order. A success clears its step; a repeat of a key the server already
 * holds answers as the first time (harmless). A refusal (412 someone changed the record, 409, any other
 * 4xx) holds that record's steps and asks the officer: re-apply to the new state, change, or drop. Other
 * records keep syncing. A step made on top of an earlier queued step of the same record carries "chain" as
 * its If-Match: it is sent with the revision the earlier step produced, never blind.
 *
 * Logging out wipes all of it (after a warning when steps are unsent); an expired session wipes the
 * cached records and the saved session but keeps the queue for the same officer's next login; another
 * officer logging in on the device wipes everything before them.
 */
import { ApiError, type FieldError } from './api';
import { PLACEMENT_STEPS } from './domain';

const DB = 'jejak-offline';
const MAX_CACHED = 400;
/** The If-Match of a step made after another queued step of its record: the revision that step produced. */
export const CHAIN = 'chain';

export interface QueuedStep {
  readonly seq: number;
  /** `/cases/<id>`: the record the step belongs to (ids only, never a personal value). */
  readonly record: string;
  readonly path: string;
  readonly body: unknown;
  /** The revision the officer's step was based on (`"7"`), or CHAIN. */
  readonly ifMatch: string | null;
  readonly idempotencyKey: string;
  readonly occurredAt: string;
  readonly state: 'pending' | 'held';
  readonly problem?: { status: number; code: string; detail?: string; errors?: readonly FieldError[] };
}

interface StoredStep {
  seq?: number;
  record: string;
  user: string;
  ifMatch: string | null;
  idempotencyKey: string;
  occurredAt: string;
  state: 'pending' | 'held';
  problem?: QueuedStep['problem'];
  sealed: Sealed;
}

interface Sealed {
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly data: ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------------
// IndexedDB, promised.

let opening: Promise<IDBDatabase> | null = null;
/**
 * Set by a wipe (here, or a logout in another tab) until the next login opens a vault: nothing may open the
 * database again in between, or a header counting the queue would bring back an empty `jejak-offline`.
 */
let wiped = false;
function database(): Promise<IDBDatabase> {
  if (wiped) return Promise.reject(new Error('the device was wiped'));
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('meta');
      db.createObjectStore('cache', { keyPath: 'path' }).createIndex('at', 'at');
      db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
    };
    request.onsuccess = () => {
      // Another tab wiping the database (a logout) closes this connection: the next use reopens.
      request.result.onversionchange = (event) => {
        request.result.close();
        opening = null;
        if (event.newVersion === null) {
          wiped = true;
          keyOf = null;
        }
      };
      resolve(request.result);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return opening;
}

async function run<T>(store: string, mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = act(tx.objectStore(store));
    tx.oncomplete = () => resolve((request ? request.result : undefined) as T);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

// ---------------------------------------------------------------------------------------------------
// The key: made at login, non-extractable, kept by the browser (IndexedDB stores CryptoKey objects
// without ever exposing their bytes), deleted at logout.

let keyOf: { user: string; key: CryptoKey } | null = null;

async function storedKey(): Promise<{ user: string; key: CryptoKey } | null> {
  if (keyOf) return keyOf;
  const found = await run<{ user: string; key: CryptoKey } | undefined>('meta', 'readonly', (s) => s.get('key'));
  keyOf = found ?? null;
  return keyOf;
}

/** At login: the same officer keeps their key (and their queue); anyone else starts from nothing. */
export async function openVault(user: string): Promise<void> {
  wiped = false;
  const found = await storedKey();
  if (found?.user === user) return;
  if (found) await wipe();
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await run('meta', 'readwrite', (s) => s.put({ user, key }, 'key'));
  keyOf = { user, key };
}

async function seal(value: unknown): Promise<Sealed> {
  const found = await storedKey();
  if (!found) throw new Error('no key on this device');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, found.key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv, data };
}

async function open<T>(sealed: Sealed): Promise<T> {
  const found = await storedKey();
  if (!found) throw new Error('no key on this device');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, found.key, sealed.data);
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}

/** Everything on the device: key, session, cached records and queue. */
export async function wipe(): Promise<void> {
  keyOf = null;
  const db = await database().catch(() => null);
  wiped = true;
  if (db) {
    db.close();
    opening = null;
  }
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(DB);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
  notify();
}

// ---------------------------------------------------------------------------------------------------
// The session, for a tab reopened without signal.

export async function saveSession(session: unknown): Promise<void> {
  const sealed = await seal(session);
  await run('meta', 'readwrite', (s) => s.put(sealed, 'session'));
}

export async function restoreSession<T extends { expiresAt: string }>(): Promise<T | null> {
  try {
    const sealed = await run<Sealed | undefined>('meta', 'readonly', (s) => s.get('session'));
    if (!sealed) return null;
    const session = await open<T>(sealed);
    return session.expiresAt > new Date().toISOString() ? session : null;
  } catch {
    return null;
  }
}

/** An expired session: its saved copy and the cached records go; the queue waits for the same officer. */
export async function expire(): Promise<void> {
  await run('meta', 'readwrite', (s) => s.delete('session')).catch(() => undefined);
  await run('cache', 'readwrite', (s) => s.clear()).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------
// Cached answers: the worklist and the records opened (with their history).

const CACHED =
  /^\/(worklist|auth\/me$|(cases|placements|preventions|sessions|enquiries|communities|businesses|business-groups|kur|consultations|people)\/[0-9a-f-]{36}(\/history)?$)/;

export const cacheable = (path: string): boolean => CACHED.test(path.split('?')[0]!);

export async function remember(path: string, data: unknown, etag: string | null): Promise<void> {
  if (!cacheable(path) || !(await storedKey())) return;
  const sealed = await seal({ data, etag });
  await run('cache', 'readwrite', (s) => s.put({ path: path.split('?')[0]!, at: Date.now(), ...sealed }));
  // The newest MAX_CACHED answers stay.
  const count = await run<number>('cache', 'readonly', (s) => s.count());
  if (count > MAX_CACHED) {
    const db = await database();
    await new Promise<void>((resolve) => {
      const tx = db.transaction('cache', 'readwrite');
      let left = count - MAX_CACHED;
      tx.objectStore('cache').index('at').openCursor().onsuccess = (event) => {
        const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
        if (cursor && left-- > 0) {
          cursor.delete();
          cursor.continue();
        }
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => resolve();
    });
  }
}

/** The last answer seen for a path, with the pending steps of a record folded in where the app can. */
export async function recall<T>(path: string): Promise<{ data: T; etag: string | null } | null> {
  if (!(await storedKey())) return null;
  const found = await run<(Sealed & { path: string }) | undefined>('cache', 'readonly', (s) => s.get(path.split('?')[0]!)).catch(
    () => undefined,
  );
  const steps = await queued();
  const record = /^\/[a-z-]+\/[0-9a-f-]{36}/.exec(path)?.[0];
  const mine = record ? steps.filter((s) => s.record === record) : [];
  if (found) {
    const cached = await open<{ data: T; etag: string | null }>(found).catch(() => null);
    if (!cached) return null;
    return path === record ? { data: fold(cached.data, mine), etag: cached.etag } : cached;
  }
  // A record made on this device and not yet sent: shown from the command that makes it.
  if (record && mine[0] && mine[0].path !== record && mine[0].path === record.slice(0, record.lastIndexOf('/'))) {
    if (path === `${record}/history`) return { data: { items: [] } as T, etag: null };
    const made = provisional(record, mine[0]);
    return made ? { data: fold(made as T, mine.slice(1)), etag: null } : null;
  }
  return null;
}

const dayOf = (iso: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: document.querySelector('meta[name="jejak-timezone"]')?.getAttribute('content') || 'Asia/Jakarta',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

/** What a record made offline looks like before the server has it: the fields the officer gave. */
function provisional(record: string, create: QueuedStep): unknown {
  const body = create.body as Record<string, unknown>;
  const id = record.slice(record.lastIndexOf('/') + 1);
  if (record.startsWith('/placements/'))
    return {
      id,
      status: 'open',
      stage: 'registration',
      registeredOn: dayOf(create.occurredAt),
      worker: body.worker ?? {},
      milestones: {},
      documents: body.documents ?? [],
      missingDocuments: [],
      revision: 0,
      provisional: true,
    };
  if (record.startsWith('/cases/'))
    return {
      id,
      status: 'open',
      categories: body.categories ?? [],
      worker: body.worker ?? {},
      channel: body.channel ?? '',
      urgency: body.urgency ?? null,
      destinationCountry: body.destinationCountry ?? null,
      openedAt: create.occurredAt,
      complaint: body.complaint ?? '',
      deadlines: null,
      actions: [],
      revision: 0,
      provisional: true,
    };
  return null;
}

/** The steps waiting on a placement, shown on it: documents added, milestones reached (on their day). */
function fold<T>(view: T, steps: readonly QueuedStep[]): T {
  if (steps.length === 0 || typeof view !== 'object' || view === null) return view;
  const v = { ...(view as Record<string, unknown>) };
  for (const step of steps) {
    const body = step.body as Record<string, unknown>;
    const leaf = step.path.split('/').pop()!;
    if (Array.isArray(v.documents) && leaf === 'documents') v.documents = [...(v.documents as unknown[]), body];
    const milestone = MILESTONE_OF[leaf];
    if (milestone && v.milestones && typeof v.milestones === 'object')
      v.milestones = { ...(v.milestones as object), [milestone]: typeof body.on === 'string' ? body.on : dayOf(step.occurredAt) };
  }
  return v as T;
}

const MILESTONE_OF: Record<string, string> = Object.fromEntries(
  PLACEMENT_STEPS.filter((s) => s.milestone).map((s) => [s.path, s.milestone!]),
);

// ---------------------------------------------------------------------------------------------------
// The queue.

type Listener = () => void;
const listeners = new Set<Listener>();
let channel: BroadcastChannel | null = null;
try {
  channel = new BroadcastChannel('jejak-offline');
  channel.onmessage = () => listeners.forEach((l) => l());
} catch {
  channel = null;
}
function notify(): void {
  listeners.forEach((l) => l());
  channel?.postMessage('changed');
}
/** Called whenever the queue changes (here or in another tab). */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The record a command belongs to: `/cases/<id>` from its path, or from the id a create carries. */
export function recordOf(path: string, body: unknown): string | null {
  const [, kind, id] = path.split('/');
  if (kind && id && /^[0-9a-f-]{36}$/.test(id)) return `/${kind}/${id}`;
  const field = CREATE_ID[path];
  const made = field && body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  return typeof made === 'string' ? `${path}/${made}` : null;
}

/** The creates whose id the device chooses, and the field that carries it. */
export const CREATE_ID: Record<string, string> = {
  '/cases': 'caseId',
  '/placements': 'placementId',
  '/preventions': 'preventionId',
  '/sessions': 'sessionId',
  '/enquiries': 'enquiryId',
  '/communities': 'communityId',
  '/businesses': 'businessId',
  '/business-groups': 'groupId',
  '/kur': 'kurId',
  '/consultations': 'consultationId',
};

/** Parts of a record that later steps name: a placement's documents, a case's actions and referrals. */
const PART_ID: readonly [RegExp, string][] = [
  [/^\/placements\/[0-9a-f-]{36}\/documents$/, 'documentId'],
  [/^\/cases\/[0-9a-f-]{36}\/(actions|referrals)$/, 'actionId'],
];

/**
 * The ids the device gives a command that makes something (a record, a placement's document, a case's action),
 * so that later steps, queued or not, can name it. An id the form already chose is kept.
 */
export function withDeviceIds(path: string, body: unknown, id: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const field = CREATE_ID[path] ?? PART_ID.find(([pattern]) => pattern.test(path))?.[1];
  return field && !(field in body) ? { ...body, [field]: id } : body;
}

export async function queued(): Promise<QueuedStep[]> {
  const found = await storedKey().catch(() => null);
  if (!found) return [];
  const rows = await run<StoredStep[]>('queue', 'readonly', (s) => s.getAll()).catch(() => [] as StoredStep[]);
  const steps: QueuedStep[] = [];
  for (const row of rows) {
    if (row.user !== found.user) continue;
    const inner = await open<{ path: string; body: unknown }>(row.sealed).catch(() => null);
    if (!inner) continue;
    steps.push({
      seq: row.seq!,
      record: row.record,
      path: inner.path,
      body: inner.body,
      ifMatch: row.ifMatch,
      idempotencyKey: row.idempotencyKey,
      occurredAt: row.occurredAt,
      state: row.state,
      ...(row.problem ? { problem: row.problem } : {}),
    });
  }
  return steps.sort((a, b) => a.seq - b.seq);
}

/** How many steps wait, and how many of them wait for the officer (no decryption: counts only). */
export async function counts(): Promise<{ pending: number; held: number }> {
  const found = await storedKey().catch(() => null);
  if (!found) return { pending: 0, held: 0 };
  const rows = await run<StoredStep[]>('queue', 'readonly', (s) => s.getAll()).catch(() => [] as StoredStep[]);
  const mine = rows.filter((r) => r.user === found.user);
  return { pending: mine.length, held: mine.filter((r) => r.state === 'held').length };
}

export async function hasQueued(record: string): Promise<boolean> {
  return (await queued()).some((s) => s.record === record);
}

/** Puts a command on the queue; a record with steps already waiting chains on them. */
export async function enqueue(step: {
  record: string;
  path: string;
  body: unknown;
  ifMatch: string | null;
  idempotencyKey: string;
}): Promise<void> {
  const found = await storedKey();
  if (!found) throw new ApiError(0, 'NETWORK');
  const earlier = await hasQueued(step.record);
  const row: StoredStep = {
    record: step.record,
    user: found.user,
    ifMatch: earlier && step.path !== step.record ? CHAIN : step.ifMatch,
    idempotencyKey: step.idempotencyKey,
    occurredAt: new Date().toISOString(),
    state: 'pending',
    sealed: await seal({ path: step.path, body: step.body }),
  };
  await run('queue', 'readwrite', (s) => s.add(row));
  notify();
}

async function update(seq: number, change: (row: StoredStep) => StoredStep | null): Promise<void> {
  const db = await database();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('queue', 'readwrite');
    const store = tx.objectStore('queue');
    store.get(seq).onsuccess = (event) => {
      const row = (event.target as IDBRequest<StoredStep | undefined>).result;
      if (!row) return;
      const next = change(row);
      if (next) store.put(next);
      else store.delete(seq);
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
  notify();
}

/** The officer's decision on a held step: send it again on the record as it is now, possibly changed. */
export async function reapply(seq: number, revision: string, body?: unknown): Promise<void> {
  const sealed = body === undefined ? undefined : await seal({ path: (await queued()).find((s) => s.seq === seq)?.path, body });
  await update(seq, (row) => {
    const { problem: _problem, ...rest } = row;
    return {
      ...rest,
      state: 'pending',
      ifMatch: `"${revision}"`,
      // The refused attempt wrote nothing; the decision is a new command, with a key of its own.
      idempotencyKey: crypto.randomUUID(),
      ...(sealed ? { sealed } : {}),
    };
  });
}

/** The officer's decision to drop a step: the steps made on top of it wait for their own decision. */
export async function drop(seq: number): Promise<void> {
  const steps = await queued();
  const dropped = steps.find((s) => s.seq === seq);
  await update(seq, () => null);
  const next = dropped && steps.find((s) => s.record === dropped.record && s.seq > seq);
  if (next && next.ifMatch === CHAIN)
    await update(next.seq, (row) => ({
      ...row,
      state: 'held',
      problem: { status: 412, code: 'AFTER_DROPPED' },
    }));
}

// ---------------------------------------------------------------------------------------------------
// Sending.

export interface SendResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly etag: string | null;
}
type Sender = (step: QueuedStep, ifMatch: string | null) => Promise<SendResult>;

let syncing: Promise<number> | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;

/**
 * Sends the queue in order, once at a time in all tabs (a Web Lock). Returns how many steps were
 * accepted. Network failures and 5xx stop the run (the order is kept; it resumes later); a refusal holds
 * its record and the run goes on with the other records.
 */
export function sync(send: Sender, onAccepted: (step: QueuedStep, body: Record<string, unknown>) => void): Promise<number> {
  syncing ??= (async () => {
    const work = () => drain(send, onAccepted);
    try {
      return navigator.locks ? await navigator.locks.request('jejak-sync', work) : await work();
    } finally {
      syncing = null;
    }
  })();
  return syncing;
}

async function drain(send: Sender, onAccepted: (step: QueuedStep, body: Record<string, unknown>) => void): Promise<number> {
  let accepted = 0;
  const held = new Set<string>();
  for (const step of await queued()) {
    if (held.has(step.record)) continue;
    if (step.state === 'held' || step.ifMatch === CHAIN) {
      // A chained step whose predecessor is not accepted yet waits with its record.
      held.add(step.record);
      continue;
    }
    let answer: SendResult;
    try {
      answer = await send(step, step.ifMatch);
    } catch {
      later();
      return accepted;
    }
    if (answer.status >= 200 && answer.status < 300) {
      accepted++;
      const revision = answer.body.revision;
      await update(step.seq, () => null);
      const next = (await queued()).find((s) => s.record === step.record);
      if (next && next.ifMatch === CHAIN)
        await update(next.seq, (row) => ({ ...row, ifMatch: typeof revision === 'number' ? `"${revision}"` : null }));
      onAccepted(step, answer.body);
      // The next step of this record may now go: read the queue again.
      return accepted + (await drain(send, onAccepted));
    }
    if (answer.status === 401) return accepted;
    if (answer.status === 0 || answer.status === 429 || answer.status >= 500) {
      later();
      return accepted;
    }
    held.add(step.record);
    await update(step.seq, (row) => ({
      ...row,
      state: 'held',
      problem: {
        status: answer.status,
        code: typeof answer.body.code === 'string' ? answer.body.code : `HTTP_${answer.status}`,
        ...(typeof answer.body.detail === 'string' ? { detail: answer.body.detail } : {}),
        ...(Array.isArray(answer.body.errors) ? { errors: answer.body.errors as FieldError[] } : {}),
      },
    }));
  }
  return accepted;
}

let again: (() => void) | null = null;
/** What to call when it is time to try again (set by the app). */
export function onRetryDue(callback: () => void): void {
  again = callback;
}
function later(): void {
  if (retry) return;
  retry = setTimeout(() => {
    retry = null;
    again?.();
  }, 15_000);
}
