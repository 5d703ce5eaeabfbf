import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { latestPosition, read } from '../api';
import { Loading, Problem } from '../components';
import { formatDate } from '../format';
import { Link } from '../router';

interface Item {
  readonly kind: 'case' | 'placement' | 'prevention';
  readonly id: string;
  readonly areaCode: string;
  readonly status: string;
  readonly urgency: string | null;
  readonly due: string | null;
  readonly overdue: boolean;
  readonly since: string | null;
}

/** Home: what falls due first, overdue items marked, one tap to the record. */
export function Worklist() {
  const { t, i18n } = useTranslation();
  const query = useQuery({ queryKey: ['worklist'], queryFn: () => read<{ items: Item[] }>('/worklist', latestPosition()) });
  if (query.isPending) return <Loading />;
  if (query.isError) return <Problem error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data.items;
  const count = (kind: Item['kind']) => items.filter((i) => i.kind === kind).length;
  return (
    <section>
      <h1>{t('worklist.title')}</h1>
      <p className="muted">
        {t('worklist.counts', { cases: count('case'), placements: count('placement'), preventions: count('prevention') })}
      </p>
      {items.length === 0 ? (
        <p>{t('worklist.empty')}</p>
      ) : (
        <ul className="items">
          {items.map((item) => (
            <li key={`${item.kind}-${item.id}`} className={item.overdue ? 'item overdue' : 'item'}>
              <Link to={`/${item.kind === 'case' ? 'cases' : item.kind === 'placement' ? 'placements' : 'preventions'}/${item.id}`}>
                <span className="kind">{t(`worklist.kind_${item.kind}`)}</span>{' '}
                <span>{t(`status.${item.status}`, { defaultValue: item.status })}</span>
                {item.urgency && <span className="tag">{t(`urgency.${item.urgency}`)}</span>}
              </Link>
              <div className="meta">
                {item.overdue && <strong className="late">{t('worklist.overdue')}</strong>}{' '}
                {item.due
                  ? t('worklist.due', { date: formatDate(item.due, i18n.language) })
                  : item.since
                    ? t('worklist.since', { date: formatDate(item.since, i18n.language) })
                    : null}
                <span className="muted"> · {item.areaCode}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
