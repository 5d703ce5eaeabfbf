import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call, download, streamLines } from '../api';
import { Field, Loading, PagedEnd, Problem } from '../components';
import { formatDateTime } from '../format';
import { Link, navigate, useLocation } from '../router';

/** One event as the audit routes give it: as stored (sealed values sealed), with its link hash. */
interface AuditEvent {
  readonly position: string;
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly hash: string | null;
  readonly metadata: { actorId?: string; role?: string; correlationId?: string; causationId?: string; occurredAt?: string };
}

interface Seal {
  readonly position: string;
  readonly sealedAt?: string;
  readonly recordedAt: string;
}

const KINDS = ['case', 'placement', 'prevention', 'subject'] as const;
const RESOURCE: Record<string, string> = { case: 'cases', placement: 'placements', prevention: 'preventions', subject: 'subjects' };
const SEARCH = ['actor', 'type', 'from', 'to', 'area', 'correlation', 'causedBy'] as const;

/** The workbench's start: open a record by id, or search the log by actor, type, time, area or request. */
export function AuditHome() {
  const { t, i18n } = useTranslation();
  const { query } = useLocation();
  const [open, setOpen] = useState({ kind: 'case', id: '' });
  const params = Object.fromEntries(SEARCH.map((name) => [name, query.get(name) ?? '']));
  const [form, setForm] = useState(params);
  const searching = Object.values(params).some(Boolean);
  const events = useInfiniteQuery({
    queryKey: ['audit-events', params],
    enabled: searching,
    initialPageParam: '',
    queryFn: async ({ pageParam }) =>
      (
        await call<{ items: AuditEvent[]; nextCursor: string | null }>(
          `/audit/events?${new URLSearchParams(Object.entries({ ...params, limit: '50', cursor: pageParam }).filter(([, v]) => v !== ''))}`,
        )
      ).data,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const submitOpen = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/audit/record/${open.kind}-${open.id.trim().toLowerCase()}`);
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/audit?${new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''))}`);
  };
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <form className="form card" onSubmit={submitOpen} noValidate aria-labelledby="audit-open">
        <h2 id="audit-open">{t('audit.open')}</h2>
        <Field label={t('audit.kind')} name="kind" error={null}>
          {(p) => (
            <select {...p} value={open.kind} onChange={(e) => setOpen({ ...open, kind: e.target.value })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`audit.kind_${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.id')} name="id" error={null}>
          {(p) => <input {...p} autoComplete="off" value={open.id} onChange={(e) => setOpen({ ...open, id: e.target.value })} />}
        </Field>
        <button type="submit" className="primary">
          {t('audit.openSubmit')}
        </button>
      </form>
      <details className="filter-box" open={searching}>
        <summary>{t('audit.search')}</summary>
        <form className="filters" onSubmit={submitSearch} aria-label={t('audit.search')}>
          {SEARCH.map((name) => (
            <label key={name}>
              {t(`audit.filter_${name}`)}
              <input
                type={name === 'from' || name === 'to' ? 'date' : 'text'}
                autoComplete="off"
                value={form[name]}
                onChange={(e) => setForm({ ...form, [name]: e.target.value.trim() })}
              />
            </label>
          ))}
          <div className="filter-actions">
            <button type="submit">{t('cases.apply')}</button>
          </div>
        </form>
      </details>
      {searching &&
        (events.isPending ? (
          <Loading />
        ) : events.isError ? (
          <Problem error={events.error} onRetry={() => void events.refetch()} />
        ) : (
          <>
            <ol className="items">
              {events.data.pages
                .flatMap((p) => p.items)
                .map((e) => (
                  <li key={e.position} className="item">
                    <Link to={`/audit/record/${e.streamId}`}>
                      {t(`event.${e.type}`, { defaultValue: e.type })} · {e.streamId}
                    </Link>
                    <div className="meta">
                      {formatDateTime(e.recordedAt, i18n.language)} · {e.metadata.actorId ?? '?'} · #{e.revision}
                    </div>
                  </li>
                ))}
            </ol>
            <PagedEnd list={events} empty={t('audit.noEvents')} />
          </>
        ))}
    </section>
  );
}

/** A value of a folded state or a diff, as one short line (sealed values are never in it: the API leaves them out). */
const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** Flattens a state into `path: value` lines, so two revisions read side by side. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix || '·', show(value)]];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[prefix || '·', '{}']];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * A record's trace for an auditor: every event as stored, who wrote it, when it was written and when it
 * happened, its request (correlation) and what it caused, its link hash and the seal that covers it; the
 * record as it stood after any revision; the fields changed between two revisions, by whom; a signed
 * case file to take away.
 */
export function AuditRecord({ stream }: { stream: string }) {
  const { t, i18n } = useTranslation();
  const [kind, ...rest] = stream.split('-');
  const id = rest.join('-');
  const resource = RESOURCE[kind!];
  const trace = useQuery({
    queryKey: ['audit-stream', stream],
    queryFn: async () => (await call<{ area: string | null; items: AuditEvent[] }>(`/audit/streams/${stream}`)).data,
  });
  const seals = useQuery({
    queryKey: ['audit-seals'],
    queryFn: async () => (await call<{ fingerprint: string; items: Seal[] }>('/audit/seals')).data,
  });
  const [asOf, setAsOf] = useState<number | null>(null);
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const [fileError, setFileError] = useState<unknown>(null);
  const state = useQuery({
    queryKey: ['audit-state', stream, asOf],
    enabled: asOf !== null && resource !== undefined && kind !== 'subject',
    queryFn: async () => (await call<unknown>(`/${resource}/${id}?revision=${asOf}`)).data,
  });
  const diff = useQuery({
    queryKey: ['audit-diff', stream, range],
    enabled: range !== null && kind !== 'subject',
    queryFn: async () =>
      (
        await call<{
          changes: {
            path: string;
            before?: unknown;
            after?: unknown;
            revision: number;
            type: string;
            actorId: string | null;
            recordedAt: string;
          }[];
        }>(`/${resource}/${id}/diff?from=${range!.from}&to=${range!.to}`)
      ).data.changes,
  });
  if (trace.isPending) return <Loading />;
  if (trace.isError) return <Problem error={trace.error} onRetry={() => void trace.refetch()} />;
  const events = trace.data.items;
  const last = events[events.length - 1]!.revision;
  const sealOf = (position: string) => seals.data?.items.find((s) => BigInt(s.position) >= BigInt(position));
  const date = (iso: string | undefined) => formatDateTime(iso, i18n.language);
  return (
    <section>
      <h1>
        {t(`audit.kind_${kind}`, { defaultValue: kind })} <span className="ref">{id}</span>
      </h1>
      <p className="muted">{t('audit.streamMeta', { count: events.length, area: trace.data.area ?? '—' })}</p>
      <button
        type="button"
        onClick={async () => {
          setFileError(null);
          await download(`/audit/streams/${stream}/case-file`, 'application/json').catch(setFileError);
        }}
      >
        {t('audit.caseFile')}
      </button>
      <Problem error={fileError} />
      {kind !== 'subject' && (
        <>
          <h2>{t('audit.asOf')}</h2>
          <div className="filters">
            <label>
              {t('audit.revision')}
              <select value={asOf ?? ''} onChange={(e) => setAsOf(e.target.value === '' ? null : Number(e.target.value))}>
                <option value="">—</option>
                {events.map((e) => (
                  <option key={e.revision} value={e.revision}>
                    #{e.revision} {t(`event.${e.type}`, { defaultValue: e.type })}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('audit.diffFrom')}
              <select
                value={range?.from ?? ''}
                onChange={(e) => setRange(e.target.value === '' ? null : { from: Number(e.target.value), to: range?.to ?? last })}
              >
                <option value="">—</option>
                {events.map((e) => (
                  <option key={e.revision} value={e.revision}>
                    #{e.revision}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('audit.diffTo')}
              <select value={range?.to ?? ''} onChange={(e) => setRange({ from: range?.from ?? 0, to: Number(e.target.value) })}>
                <option value="">—</option>
                {events.map((e) => (
                  <option key={e.revision} value={e.revision}>
                    #{e.revision}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {asOf !== null &&
            (state.isPending ? (
              <Loading />
            ) : state.isError ? (
              <Problem error={state.error} />
            ) : (
              <div className="table-scroll" tabIndex={0} role="region" aria-label={t('audit.stateAt', { revision: asOf })}>
                <table className="figures state">
                  <caption className="visually-hidden">{t('audit.stateAt', { revision: asOf })}</caption>
                  <tbody>
                    {flatten(state.data).map(([path, value]) => (
                      <tr key={path}>
                        <th scope="row">{path}</th>
                        <td>{value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          {range !== null &&
            (diff.isPending ? (
              <Loading />
            ) : diff.isError ? (
              <Problem error={diff.error} />
            ) : (
              <div className="table-scroll" tabIndex={0} role="region" aria-label={t('audit.diffLabel', range)}>
                <table className="figures diff">
                  <caption className="visually-hidden">{t('audit.diffLabel', range)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">{t('audit.field')}</th>
                      <th scope="col">{t('audit.before')}</th>
                      <th scope="col">{t('audit.after')}</th>
                      <th scope="col">{t('audit.who')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {diff.data.map((c) => (
                      <tr key={`${c.revision}-${c.path}`}>
                        <td>{c.revision}</td>
                        <th scope="row">{c.path}</th>
                        <td>{'before' in c ? show(c.before) : t('audit.sealedValue')}</td>
                        <td>{'after' in c ? show(c.after) : t('audit.sealedValue')}</td>
                        <td>{c.actorId ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </>
      )}
      <h2>{t('case.timeline')}</h2>
      <ol className="timeline audit">
        {events.map((e) => {
          const seal = sealOf(e.position);
          return (
            <li key={e.revision} data-revision={e.revision}>
              <strong>
                #{e.revision} {t(`event.${e.type}`, { defaultValue: e.type })}
              </strong>{' '}
              <span className="ref">{e.type}</span>
              <dl className="event-facts">
                <dt>{t('audit.who')}</dt>
                <dd>
                  {e.metadata.actorId ?? '?'} ({e.metadata.role ?? '?'})
                </dd>
                <dt>{t('audit.written')}</dt>
                <dd>{date(e.recordedAt)}</dd>
                {e.metadata.occurredAt && (
                  <>
                    <dt>{t('audit.happened')}</dt>
                    <dd>{date(e.metadata.occurredAt)}</dd>
                  </>
                )}
                {e.metadata.correlationId && (
                  <>
                    <dt>{t('audit.request')}</dt>
                    <dd>
                      <Link to={`/audit?correlation=${encodeURIComponent(e.metadata.correlationId)}`}>{e.metadata.correlationId}</Link>
                    </dd>
                  </>
                )}
                {e.metadata.causationId && (
                  <>
                    <dt>{t('audit.causedBy')}</dt>
                    <dd className="ref">{e.metadata.causationId}</dd>
                  </>
                )}
                <dt>{t('audit.caused')}</dt>
                <dd>
                  <Link to={`/audit?causedBy=${e.id}`}>{t('audit.causedLink')}</Link>
                </dd>
                <dt>{t('audit.hash')}</dt>
                <dd className="ref">{e.hash ?? t('audit.notChained')}</dd>
                <dt>{t('audit.seal')}</dt>
                <dd>
                  {seal
                    ? t('audit.sealedAt', { date: date(seal.sealedAt ?? seal.recordedAt), position: seal.position })
                    : t('audit.notSealed')}
                </dd>
              </dl>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

interface VerifyAnswer {
  readonly intact: boolean;
  readonly firstBreak: { kind: string; position: string | null; streamId: string; revision: string; detail: string } | null;
  readonly events: number;
  readonly chainedUpTo: string | null;
  readonly sealed: { position: string; sealedAt: string; seals: number } | null;
  readonly notYetChained: number;
  readonly key: { fingerprint: string };
  readonly readModels: readonly { name: string; intact: boolean }[];
}

/** Integrity: verification with its progress as the server streams it, its verdict, and the seals. */
export function Integrity() {
  const { t, i18n } = useTranslation();
  const [progress, setProgress] = useState<{ pass: string; checked: number; total: number } | null>(null);
  const [result, setResult] = useState<VerifyAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const seals = useQuery({
    queryKey: ['audit-seals'],
    queryFn: async () => (await call<{ fingerprint: string; items: Seal[] }>('/audit/seals')).data,
  });
  const run = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      await streamLines('/audit/verify', (line) => {
        const l = line as { progress?: { pass: string; checked: number; total: number }; result?: VerifyAnswer };
        if (l.progress) setProgress(l.progress);
        if (l.result) setResult(l.result);
      });
      void seals.refetch();
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };
  const date = (iso: string | undefined) => formatDateTime(iso, i18n.language);
  return (
    <section>
      <h1>{t('audit.integrity')}</h1>
      <button type="button" className="primary" disabled={running} onClick={() => void run()}>
        {t('audit.verify')}
      </button>
      {running && (
        <p role="status">
          {progress ? t('audit.progress', { pass: progress.pass, checked: progress.checked, total: progress.total }) : t('app.loading')}
          {progress && <progress aria-label={t('audit.verify')} max={Math.max(progress.total, 1)} value={progress.checked} />}
        </p>
      )}
      <Problem error={error} />
      {result && (
        <div className={result.intact ? 'verdict intact' : 'verdict broken'} role="status" data-intact={result.intact}>
          {result.intact ? (
            <p>
              <strong>{t('audit.intact', { position: result.chainedUpTo ?? '—', events: result.events })}</strong>{' '}
              {result.sealed
                ? t('audit.sealedUpTo', { position: result.sealed.position, date: date(result.sealed.sealedAt) })
                : t('audit.notSealed')}
            </p>
          ) : (
            <p>
              <strong>
                {t('audit.broken', {
                  kind: result.firstBreak?.kind,
                  stream: result.firstBreak?.streamId,
                  revision: result.firstBreak?.revision,
                  position: result.firstBreak?.position ?? '—',
                })}
              </strong>{' '}
              {result.firstBreak?.detail}
            </p>
          )}
          <p>{t('audit.fingerprint', { fingerprint: result.key.fingerprint })}</p>
          <ul>
            {result.readModels.map((r) => (
              <li key={r.name}>
                {t(r.intact ? 'audit.readModelIntact' : 'audit.readModelDiffers', { name: t(`nav.${r.name}`, { defaultValue: r.name }) })}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t('audit.seals')}</h2>
      {seals.isPending ? (
        <Loading />
      ) : seals.isError ? (
        <Problem error={seals.error} onRetry={() => void seals.refetch()} />
      ) : (
        <>
          <p className="muted">{t('audit.fingerprint', { fingerprint: seals.data.fingerprint })}</p>
          <ol className="items">
            {[...seals.data.items].reverse().map((s) => (
              <li key={s.position} className="item">
                {t('audit.sealedAt', { date: date(s.sealedAt ?? s.recordedAt), position: s.position })}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

interface AccessEntry {
  readonly position: string;
  readonly actorId: string;
  readonly role: string;
  readonly kind: string;
  readonly recordId: string;
  readonly route: string;
  readonly at: string;
}

/** The access log: who read which personal record, when, through which route; filtered, paged. */
export function AccessLog() {
  const { t, i18n } = useTranslation();
  const { query } = useLocation();
  const names = ['subject', 'actor', 'kind', 'from', 'to'] as const;
  const params = Object.fromEntries(names.map((n) => [n, query.get(n) ?? '']));
  const [form, setForm] = useState(params);
  const log = useInfiniteQuery({
    queryKey: ['audit-access', params],
    initialPageParam: '',
    queryFn: async ({ pageParam }) =>
      (
        await call<{ items: AccessEntry[]; nextCursor: string | null }>(
          `/audit/access?${new URLSearchParams(Object.entries({ ...params, limit: '50', cursor: pageParam }).filter(([, v]) => v !== ''))}`,
        )
      ).data,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/audit/access?${new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''))}`);
  };
  const link = (e: AccessEntry) => (e.kind === 'stream' || e.kind === 'export' ? e.recordId : `${e.kind}-${e.recordId}`);
  return (
    <section>
      <h1>{t('audit.access')}</h1>
      <form className="filters" onSubmit={apply} aria-label={t('cases.filters')}>
        {names.map((name) => (
          <label key={name}>
            {t(`audit.access_${name}`)}
            {name === 'kind' ? (
              <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                <option value="">{t('cases.any')}</option>
                {['case', 'placement', 'prevention', 'subject', 'stream', 'export'].map((k) => (
                  <option key={k} value={k}>
                    {t(`audit.kind_${k}`)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={name === 'from' || name === 'to' ? 'date' : 'text'}
                autoComplete="off"
                value={form[name]}
                onChange={(e) => setForm({ ...form, [name]: e.target.value.trim() })}
              />
            )}
          </label>
        ))}
        <div className="filter-actions">
          <button type="submit">{t('cases.apply')}</button>
        </div>
      </form>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <Problem error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <>
          <ol className="items">
            {log.data.pages
              .flatMap((p) => p.items)
              .map((e) => (
                <li key={e.position} className="item">
                  <strong>{e.actorId}</strong> ({t(`role.${e.role}`, { defaultValue: e.role })}) ·{' '}
                  {t(`audit.kind_${e.kind}`, { defaultValue: e.kind })} <Link to={`/audit/record/${link(e)}`}>{e.recordId}</Link>
                  <div className="meta">
                    {formatDateTime(e.at, i18n.language)} · <span className="ref">{e.route}</span>
                  </div>
                </li>
              ))}
          </ol>
          <PagedEnd list={log} empty={t('audit.noEvents')} />
        </>
      )}
    </section>
  );
}
