import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, latestPosition, read } from '../api';
import { Field, Loading, Problem, useCommand } from '../components';
import { formatDate, formatRupiah } from '../format';
import { PAGE_SIZE, RecordList } from '../lists';
import { Link } from '../router';

interface Resolved {
  readonly id: string;
  readonly areaCode: string;
  readonly categories: readonly string[];
  readonly outcome: string | null;
  readonly amountRecovered: number | null;
  readonly resolvedAt: string | null;
  readonly revision: string;
}

/** One closure waiting for a decision: approve, or reject with a reason; refusals explained in place. */
function Decision({ item }: { item: Resolved }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const { send, error, busy } = useCommand();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<'approved' | 'rejected' | null>(null);
  const decide = async (path: 'closure-approval' | 'closure-rejection', body: object) => {
    const written = await send(`/cases/${item.id}/${path}`, body, { ifMatch: `"${item.revision}"` });
    if (written) setDone(path === 'closure-approval' ? 'approved' : 'rejected');
  };
  const reject = async (event: FormEvent) => {
    event.preventDefault();
    await decide('closure-rejection', { reason });
  };
  // Someone else decided first, or the case changed: the queue is read again.
  const stale = error instanceof ApiError && error.status === 412;
  useEffect(() => {
    if (stale) void queries.invalidateQueries({ queryKey: ['approvals'] });
  }, [stale, queries]);
  return (
    <li className="item" data-case={item.id}>
      <Link to={`/cases/${item.id}`}>{item.categories.map((c) => t(`category.${c}`, { defaultValue: c })).join(', ')}</Link>
      <div className="meta">
        {item.outcome && t(`caseOutcome.${item.outcome}`, { defaultValue: item.outcome })}
        {item.amountRecovered !== null && ` · ${formatRupiah(item.amountRecovered, i18n.language)}`} ·{' '}
        {t('approvals.resolvedOn', { date: formatDate(item.resolvedAt, i18n.language) })}
        <span className="muted"> · {item.areaCode}</span>
      </div>
      {done ? (
        <p role="status" className="done">
          {t(`approvals.${done}`)}
        </p>
      ) : (
        <>
          {stale ? (
            <p className="notice" role="status">
              {t('case.changed')}
            </p>
          ) : (
            <Problem error={error} />
          )}
          <div className="steps">
            <button type="button" className="primary" disabled={busy} onClick={() => void decide('closure-approval', {})}>
              {t('approvals.approve')}
            </button>
            <button type="button" aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
              {t('approvals.reject')}
            </button>
          </div>
          {rejecting && (
            <form className="form card" onSubmit={reject} noValidate>
              <Field label={t('approvals.reason')} name="reason" id={`f-reason-${item.id}`} error={error}>
                {(p) => <input {...p} autoComplete="off" value={reason} onChange={(e) => setReason(e.target.value)} />}
              </Field>
              <button type="submit" disabled={busy}>
                {t('approvals.sendRejection')}
              </button>
            </form>
          )}
        </>
      )}
    </li>
  );
}

/**
 * The supervisor's queue: resolved cases of their territory waiting for closure, oldest resolution first
 * on each page the API gives; then the overdue cases of the territory.
 */
export function Approvals() {
  const { t } = useTranslation();
  const queue = useInfiniteQuery({
    queryKey: ['approvals'],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      read<{ items: Resolved[]; nextCursor: string | null }>(
        `/cases?${new URLSearchParams({ status: 'resolved', limit: String(PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) })}`,
        latestPosition(),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section>
      <h1>{t('approvals.title')}</h1>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <Problem error={queue.error} onRetry={() => void queue.refetch()} />
      ) : items.length === 0 ? (
        <p>{t('approvals.empty')}</p>
      ) : (
        <ul className="items">
          {items.map((item) => (
            <Decision key={item.id} item={item} />
          ))}
        </ul>
      )}
      {queue.hasNextPage && (
        <button type="button" onClick={() => void queue.fetchNextPage()} disabled={queue.isFetchingNextPage}>
          {t('cases.more')}
        </button>
      )}
      <h2>{t('approvals.overdue')}</h2>
      <RecordList kind="cases" params={{ overdue: 'true' }} empty={t('approvals.noneOverdue')} />
    </section>
  );
}
