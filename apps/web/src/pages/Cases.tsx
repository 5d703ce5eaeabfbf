import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { latestPosition, read } from '../api';
import { Loading, Problem } from '../components';
import { formatDate } from '../format';
import { CATEGORIES } from '../domain';
import { Link, navigate, useLocation } from '../router';

interface CaseItem {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly categories: readonly string[];
  readonly urgency: string | null;
  readonly openedAt: string;
  readonly overdue: boolean;
}

/** The case list with the API's filters, paged with its cursors. */
export function Cases() {
  const { t, i18n } = useTranslation();
  const { query } = useLocation();
  const filters = { status: query.get('status') ?? '', category: query.get('category') ?? '', overdue: query.get('overdue') ?? '' };
  const [form, setForm] = useState(filters);
  const list = useInfiniteQuery({
    queryKey: ['cases', filters],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams(Object.entries({ ...filters, cursor: pageParam }).filter(([, v]) => v !== ''));
      return read<{ items: CaseItem[]; nextCursor: string | null }>(`/cases?${params}`, latestPosition());
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/cases?${new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''))}`);
  };
  return (
    <section>
      <div className="heading">
        <h1>{t('cases.title')}</h1>
        <Link to="/cases/new" className="button primary">
          {t('cases.new')}
        </Link>
      </div>
      <form className="filters" onSubmit={apply} aria-label={t('cases.filters')}>
        <label>
          {t('case.status')}
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
            <option value="">{t('cases.any')}</option>
            {['open', 'suspended', 'resolved', 'closed'].map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('case.categories')}
          <select value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
            <option value="">{t('cases.any')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.overdue === 'true'} onChange={(e) => setForm({ ...form, overdue: e.target.checked ? 'true' : '' })} />
          {t('cases.overdueOnly')}
        </label>
        <button type="submit">{t('cases.apply')}</button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Problem error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          {list.data.pages[0]!.items.length === 0 && <p>{t('cases.empty')}</p>}
          <ul className="items">
            {list.data.pages.flatMap((page) =>
              page.items.map((c) => (
                <li key={c.id} className={c.overdue ? 'item overdue' : 'item'}>
                  <Link to={`/cases/${c.id}`}>{c.categories.map((k) => t(`category.${k}`, { defaultValue: k })).join(', ')}</Link>
                  <div className="meta">
                    {t(`status.${c.status}`)} · {t('cases.opened', { date: formatDate(c.openedAt, i18n.language) })}
                    {c.urgency && ` · ${t(`urgency.${c.urgency}`)}`}
                    {c.overdue && <strong className="late"> · {t('worklist.overdue')}</strong>}
                  </div>
                </li>
              )),
            )}
          </ul>
          {list.hasNextPage && (
            <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {t('cases.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
