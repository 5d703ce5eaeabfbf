import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { latestPosition, read } from '../api';
import { Loading, Problem } from '../components';
import { formatDate } from '../format';
import { Link } from '../router';

interface Row {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly stage?: string;
  readonly registeredOn?: string;
  readonly reportedAt?: string;
}

/** Placements and prevention reports of the caller's territory (their step forms come next). */
export function Records({ kind }: { kind: 'placements' | 'preventions' }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: [kind], queryFn: () => read<{ items: Row[] }>(`/${kind}`, latestPosition()) });
  return (
    <section>
      <div className="heading">
        <h1>{t(`nav.${kind}`)}</h1>
        <Link to={`/${kind}/new`} className="button primary">
          {t(kind === 'placements' ? 'placement.new' : 'prevention.new')}
        </Link>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Problem error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <ul className="items">
          {list.data.items.map((r) => (
            <li key={r.id} className="item">
              <Link to={`/${kind}/${r.id}`}>
                {t(`status.${r.status}`, { defaultValue: r.status })} {r.stage && <span className="tag">{t(`milestone.${r.stage}`, { defaultValue: r.stage })}</span>}
              </Link>
              <div className="meta">
                {formatDate(r.registeredOn ?? r.reportedAt, i18n.language)} · {r.areaCode}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
