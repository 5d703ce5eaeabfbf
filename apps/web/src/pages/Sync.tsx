/**
 * The officer's side of offline work (offline.ts does the keeping and the sending): the header says how
 * many steps wait and whether any needs a decision; each record lists its own waiting steps; the sync page
 * shows every waiting step, and for a refused one what changed on the server since the officer's step and
 * the three choices (re-apply to the new state, change, drop). Nothing is dropped unless the officer says so.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call, rememberPosition, sendQueued } from '../api';
import { Loading } from '../components';
import { CASE_STEPS, PLACEMENT_STEPS, PREVENTION_STEPS } from '../domain';
import { formatDateTime } from '../format';
import { CHAIN, counts, drop, onRetryDue, queued, type QueuedStep, reapply, subscribe, sync } from '../offline';
import { Link } from '../router';
import { useSession } from '../session';

/** The queue as it is now, read again whenever it changes (in this tab or another). */
export function useQueue(): { steps: QueuedStep[]; loaded: boolean } {
  const [state, setState] = useState<{ steps: QueuedStep[]; loaded: boolean }>({ steps: [], loaded: false });
  useEffect(() => {
    let live = true;
    const load = () => void queued().then((steps) => live && setState({ steps, loaded: true }));
    load();
    const stop = subscribe(load);
    return () => {
      live = false;
      stop();
    };
  }, []);
  return state;
}

function useCounts() {
  const [value, setValue] = useState({ pending: 0, held: 0 });
  useEffect(() => {
    let live = true;
    const load = () => void counts().then((c) => live && setValue(c));
    load();
    const stop = subscribe(load);
    return () => {
      live = false;
      stop();
    };
  }, []);
  return value;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Sends the queue when the network comes back, when a step is queued online, and every 30 s while any waits. */
export function useSyncAgent(): () => Promise<number> {
  const queries = useQueryClient();
  const { session } = useSession();
  const run = useCallback(async () => {
    if (!navigator.onLine) return 0;
    const accepted = await sync(sendQueued, (_step, body) => rememberPosition(body.position));
    if (accepted > 0) await queries.invalidateQueries();
    return accepted;
  }, [queries]);
  useEffect(() => {
    if (session?.user.role !== 'officer') return;
    onRetryDue(() => void run());
    const go = () => void run();
    window.addEventListener('online', go);
    const stop = subscribe(() => void counts().then((c) => c.pending > c.held && go()));
    const timer = setInterval(go, 30_000);
    go();
    return () => {
      window.removeEventListener('online', go);
      stop();
      clearInterval(timer);
    };
  }, [run, session?.user.role]);
  return run;
}

/** In the header: no signal, how many steps wait, how many wait for the officer. */
export function QueueStatus() {
  const { t } = useTranslation();
  const online = useOnline();
  const { pending, held } = useCounts();
  useSyncAgent();
  return (
    <div className="queue-status" role="status">
      {!online && <span className="tag offline">{t('offline.offline')}</span>}
      {pending > 0 && (
        <Link to="/sync" className={held > 0 ? 'late' : undefined}>
          {t('offline.pending', { count: pending })}
          {held > 0 && ` · ${t('offline.held', { count: held })}`}
        </Link>
      )}
    </div>
  );
}

const ALL_STEPS = [...PLACEMENT_STEPS, ...PREVENTION_STEPS, ...CASE_STEPS];

/** A waiting step in the officer's words: the step's own title, or what the command makes. */
export function useStepLabel(): (step: QueuedStep) => string {
  const { t } = useTranslation();
  return (step) => {
    if (step.path === step.record.slice(0, step.record.lastIndexOf('/'))) return t(`offline.created.${step.path.slice(1)}`);
    if (step.path.endsWith('/notes')) return t('case.addNote');
    const known = ALL_STEPS.find((s) => step.path.endsWith(`/${s.path}`));
    return known ? (known.label ?? t(`step.${known.key}`)) : step.path.split('/').pop()!;
  };
}

/** On a record's page: its steps still on the device. */
export function PendingSteps({ record }: { record: string }) {
  const { t, i18n } = useTranslation();
  const { steps } = useQueue();
  const label = useStepLabel();
  const mine = steps.filter((s) => s.record === record);
  if (mine.length === 0) return null;
  return (
    <div className="card pending">
      <h2>{t('offline.onRecord')}</h2>
      <ol className="items">
        {mine.map((s) => (
          <li key={s.seq} className="item">
            <strong>{label(s)}</strong> <span className={s.state === 'held' ? 'tag late' : 'tag'}>{t(`offline.state.${s.state}`)}</span>
            <div className="meta">{t('offline.madeAt', { date: formatDateTime(s.occurredAt, i18n.language) })}</div>
          </li>
        ))}
      </ol>
      {mine.some((s) => s.state === 'held') && <Link to="/sync">{t('offline.decide')}</Link>}
    </div>
  );
}

/** Every waiting step; the refused ones with what changed and the officer's three choices. */
export function SyncPage() {
  const { t, i18n } = useTranslation();
  const { steps, loaded } = useQueue();
  const online = useOnline();
  const run = useSyncAgent();
  const [busy, setBusy] = useState(false);
  const label = useStepLabel();
  if (!loaded) return <Loading />;
  return (
    <section>
      <h1>{t('offline.title')}</h1>
      <p className="muted">{t('offline.intro')}</p>
      {steps.length === 0 ? (
        <p>{t('offline.none')}</p>
      ) : (
        <>
          <button
            type="button"
            className="primary"
            disabled={!online || busy}
            onClick={async () => {
              setBusy(true);
              await run().finally(() => setBusy(false));
            }}
          >
            {t('offline.syncNow')}
          </button>
          <ol className="items">
            {steps.map((s) => (
              <li key={s.seq} className="item" data-seq={s.seq}>
                <strong>{label(s)}</strong> <span className={s.state === 'held' ? 'tag late' : 'tag'}>{t(`offline.state.${s.state}`)}</span>
                <div className="meta">
                  {t('offline.madeAt', { date: formatDateTime(s.occurredAt, i18n.language) })} ·{' '}
                  <Link to={s.record}>{t('offline.openRecord')}</Link>
                </div>
                {s.state === 'held' && <Decision step={s} />}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

interface HistoryItem {
  readonly type: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly actorName?: string;
  readonly metadata: { actorId?: string; occurredAt?: string };
}

/** A refused step: why, what the server has now, what the officer made, and their choice. */
function Decision({ step }: { step: QueuedStep }) {
  const { t, i18n } = useTranslation();
  const [changing, setChanging] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const current = useQuery({
    queryKey: ['sync', step.record, step.seq],
    queryFn: async () => {
      const view = await call<{ revision?: number }>(step.record);
      const history = await call<{ items: HistoryItem[] }>(`${step.record}/history`).catch(() => null);
      return { revision: view.data.revision ?? Number(view.etag?.replace(/\D/g, '') ?? 0), items: history?.data.items ?? [] };
    },
    retry: false,
  });
  const seen = step.ifMatch && step.ifMatch !== CHAIN ? Number(step.ifMatch.replace(/\D/g, '')) : null;
  const problem = step.problem!;
  const body = (step.body ?? {}) as Record<string, unknown>;
  const editable = Object.entries(body).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  const reason =
    problem.code === 'AFTER_DROPPED'
      ? t('offline.afterDropped')
      : i18n.exists(`refusal.${problem.code}`)
        ? t(`refusal.${problem.code}`)
        : t('problem.unknown', { code: problem.code });
  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const fresh = await current.refetch();
    if (!fresh.data) return;
    const changed = changing
      ? Object.fromEntries(
          Object.entries(body).map(([k, v]) => [
            k,
            k in fields ? (typeof v === 'number' && /^\d+$/.test(fields[k]!) ? Number(fields[k]) : fields[k]) : v,
          ]),
        )
      : undefined;
    await reapply(step.seq, String(fresh.data.revision), changed);
  };
  return (
    <div className="decision card" role="group" aria-label={t('offline.decision')}>
      <p className="problem" data-code={problem.code}>
        {reason}
      </p>
      {current.isPending ? (
        <Loading />
      ) : current.data ? (
        <>
          <h3>{t('offline.changedOnServer')}</h3>
          <ol className="timeline">
            {current.data.items
              .filter((e) => seen === null || e.revision > seen)
              .map((e) => (
                <li key={e.revision}>
                  <strong>{t(`event.${e.type}`, { defaultValue: e.type })}</strong>
                  <div className="meta">
                    {formatDateTime(e.metadata.occurredAt ?? e.recordedAt, i18n.language)} ·{' '}
                    {t('case.by', { actor: e.actorName ?? e.metadata.actorId ?? '?' })}
                  </div>
                </li>
              ))}
          </ol>
        </>
      ) : (
        <p className="muted">{t('offline.cannotLoad')}</p>
      )}
      <h3>{t('offline.yourStep')}</h3>
      {changing ? (
        <form onSubmit={send} className="form" noValidate>
          {editable.map(([k, v]) => (
            <label key={k} className="field">
              <span>{t(`stepField.${k}`, { defaultValue: k })}</span>
              <input value={fields[k] ?? String(v)} onChange={(e) => setFields({ ...fields, [k]: e.target.value })} />
            </label>
          ))}
          <button type="submit" className="primary">
            {t('offline.sendChange')}
          </button>
        </form>
      ) : (
        <dl className="facts">
          {editable.map(([k, v]) => (
            <div key={k}>
              <dt>{t(`stepField.${k}`, { defaultValue: k })}</dt>
              <dd className="text">{String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="steps">
        <button type="button" onClick={() => void send()} disabled={!current.data}>
          {t('offline.reapply')}
        </button>
        <button type="button" onClick={() => setChanging(!changing)} aria-expanded={changing} disabled={editable.length === 0}>
          {t('offline.change')}
        </button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm(t('offline.dropConfirm'))) void drop(step.seq);
          }}
        >
          {t('offline.drop')}
        </button>
      </div>
    </div>
  );
}
