import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, call, newKey, rememberPosition, type RequestOptions } from './api';
import { type Language, LANGUAGES, setLanguage } from './i18n';
import { enqueue, hasQueued, recordOf, withDeviceIds } from './offline';
import { QueueStatus } from './pages/Sync';
import { NAV } from './roles';
import { Link, useLocation } from './router';
import { useSession } from './session';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const { pathname } = useLocation();
  const nav = session ? NAV[session.user.role] : [];
  // The longest menu entry that the path starts with is the current one (/audit/access is not /audit).
  const current = nav
    .map(([to]) => to)
    .filter((to) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`)))
    .sort((a, b) => b.length - a.length)[0];
  const active = (to: string) => to === current;
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <strong>{t('app.name')}</strong> <span className="muted">{t('app.tagline')}</span>
        </div>
        <div className="tools">
          {session?.user.role === 'officer' && <QueueStatus />}
          <LanguageSwitch />
          {session && (
            <button type="button" className="link" onClick={() => void logout()}>
              {t('app.logout')}
            </button>
          )}
        </div>
      </header>
      {session && (
        <nav aria-label={t('nav.main')} className="nav">
          <ul>
            {nav.map(([to, key]) => (
              <li key={to}>
                <Link to={to} aria-current={active(to) ? 'page' : undefined}>
                  {t(key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t('app.language')}</span>
      <select value={i18n.language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {language === 'id' ? 'Bahasa Indonesia' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A refusal, explained: the rule that said no and what to do, in the user's language. */
export function Problem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiError ? error : new ApiError(0, 'NETWORK');
  const known = i18n.exists(`refusal.${problem.code}`);
  return (
    <div className="problem" role="alert" data-code={problem.code}>
      <strong>{t('problem.title')}</strong>
      <p>{known ? t(`refusal.${problem.code}`) : t('problem.unknown', { code: problem.code })}</p>
      {/* The server's own words carry the specifics (which document, which date): shown in English only. */}
      {problem.detail && i18n.language === 'en' && problem.code !== 'VALIDATION_FAILED' && <p className="muted">{problem.detail}</p>}
      {problem.retryAfter !== undefined && problem.status === 429 && <p>{t('login.retryIn', { seconds: problem.retryAfter })}</p>}
      {onRetry && (problem.code === 'NETWORK' || problem.status >= 500) && (
        <button type="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** The field errors of a 400 for one field (`worker.name` and `worker` both match `worker.name`). */
export const errorsFor = (error: unknown, field: string): string[] =>
  error instanceof ApiError
    ? error.errors
        .filter((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))
        .map((e) => e.message)
    : [];

/**
 * Field errors in the user's language: the server's validator speaks English, so in Indonesian a missing
 * value reads "Wajib diisi." and any other "Isian tidak sah." (the English text stays in English mode).
 */
export function useFieldMessages(error: unknown, name: string): string[] {
  const { t, i18n } = useTranslation();
  const messages = errorsFor(error, name);
  if (i18n.language === 'en') return messages;
  return [
    ...new Set(
      messages.map((m) =>
        /should not be empty|longer than or equal to 1 |must contain at least|is required|must be a string/.test(m)
          ? t('field.required')
          : t('field.invalid'),
      ),
    ),
  ];
}

/** A labelled input with its hint and its field errors; `id` when one page repeats a field name. */
export function Field({
  label,
  name,
  error,
  children,
  hint,
  id: given,
}: {
  label: string;
  name: string;
  error: unknown;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
  hint?: string;
  id?: string;
}) {
  const messages = useFieldMessages(error, name);
  const id = given ?? `f-${name.replace(/[^a-z0-9]/gi, '-')}`;
  const described = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={messages.length ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(messages.length ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
      {messages.length > 0 && (
        <small id={`${id}-error`} className="error">
          {messages.join('; ')}
        </small>
      )}
    </div>
  );
}

/**
 * A form's state kept in sessionStorage until it is sent: a failed submit, a lost connection, a 401 and
 * a reload all keep what was typed. Cleared when the command succeeds and when the user logs out.
 */
export function useDraft<T extends object>(key: string, initial: T): [T, (change: Partial<T>) => void, () => void] {
  const storageKey = `jejak.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(storageKey);
      return stored ? { ...initial, ...(JSON.parse(stored) as T) } : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  // Clearing empties the form too (a note once recorded is not left in its box to be sent twice).
  const clear = () => {
    sessionStorage.removeItem(storageKey);
    setValue(initial);
  };
  return [value, (change) => setValue((v) => ({ ...v, ...change })), clear];
}

/**
 * Sends a command: one Idempotency-Key per submitted content (a double tap or a retry of the same content
 * writes once), If-Match when given, and remembers the position for the lists that follow. A new case or
 * placement gets its id here, on the device. An officer without network (or with steps of the same record
 * still waiting) has the command queued on the device instead (see offline.ts): the answer then says
 * `queued`, with the record's id, and the header counts it until it is sent.
 */
export function useCommand<T = { id: string; revision: number; position?: string; queued?: boolean }>() {
  const { session } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<{ body: string; key: string; id: string } | null>(null);
  const send = async (
    path: string,
    body: unknown,
    options: Omit<RequestOptions, 'body' | 'idempotencyKey'> = {},
  ): Promise<T | undefined> => {
    if (busy) return undefined;
    const text = JSON.stringify([path, body]);
    if (key.current?.body !== text) key.current = { body: text, key: newKey(), id: newKey() };
    const sent = withDeviceIds(path, body, key.current.id);
    const record = session?.user.role === 'officer' ? recordOf(path, sent) : null;
    const idempotencyKey = key.current.key;
    const queue = async (): Promise<T> => {
      await enqueue({ record: record!, path, body: sent, ifMatch: options.ifMatch ?? null, idempotencyKey });
      key.current = null;
      return { id: record!.slice(record!.lastIndexOf('/') + 1), revision: -1, queued: true } as T;
    };
    setBusy(true);
    setError(null);
    try {
      if (record && (!navigator.onLine || (await hasQueued(record)))) return await queue();
      const { data } = await call<T>(path, { ...options, body: sent, idempotencyKey });
      rememberPosition((data as { position?: unknown }).position);
      key.current = null;
      return data;
    } catch (caught) {
      // The connection dropped on the way: kept on the device with the same key (a repeat writes once).
      if (record && caught instanceof ApiError && caught.status === 0) {
        try {
          return await queue();
        } catch (failed) {
          setError(failed);
          return undefined;
        }
      }
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { send, error, busy, setError };
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

/**
 * The end of a paged list: "nothing found" when its first page is empty, and "load more" while the API
 * gives a next cursor (a TanStack infinite query).
 */
export function PagedEnd({
  list,
  empty,
}: {
  list: {
    data?: { pages: { items: readonly unknown[] }[] };
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
  empty: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {list.data?.pages[0]?.items.length === 0 && <p>{empty}</p>}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('cases.more')}
        </button>
      )}
    </>
  );
}

/** The options of a select over a domain list, each named by its catalog section (`sector.trade`, ...). */
export function CatalogOptions({ values, catalog }: { values: readonly string[]; catalog: string }) {
  const { t } = useTranslation();
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`${catalog}.${v}`)}
        </option>
      ))}
    </>
  );
}
