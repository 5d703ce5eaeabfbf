import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, call, download, latestPosition } from '../api';
import { Loading, Problem } from '../components';
import { today } from '../format';
import { HEADLINE, type IndicatorRow, valueOf } from '../indicators';
import { Link, navigate, useLocation } from '../router';
import { type User, useSession } from '../session';

// The chart is its own chunk, fetched when a dashboard is opened: an officer's first load never carries it.
const MonthlyChart = lazy(() => import('../chart'));

/** The figures whose items a list shows exactly, and the list (the API's drill-down link of each row). */
const DRILL: Partial<Record<(typeof HEADLINE)[number], keyof IndicatorRow['links']>> = {
  'cases.opened': 'cases',
  'placements.registered': 'placements',
  'preventions.reported': 'preventions',
  'information.sessions': 'sessions',
  'information.enquiries': 'enquiries',
  'kur.disbursements': 'kurDisbursed',
};

const LEVELS = ['national', 'province', 'regency', 'district', 'village'] as const;
const LENGTHS = [0, 2, 4, 6, 10];
const levelOf = (code: string) => LEVELS[LENGTHS.indexOf(code.length)]!;
const childOf = (code: string) => LEVELS[LENGTHS.indexOf(code.length) + 1];

/** The first day of the month `back` months before the one `day` falls in. */
const monthStart = (day: string, back: number): string => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return d.toISOString().slice(0, 10);
};

const PRESETS = { month: 0, '3m': 2, '12m': 11 } as const;
type Preset = keyof typeof PRESETS | 'custom';

/** The widest area the user may see: their first scope (national when they have it). */
const rootOf = (user: User | undefined): string => {
  if (!user || user.scopes.includes('national')) return '';
  return user.scopes[0]?.split(':')[1] ?? '';
};

/**
 * A report as the dashboard asks for it: while the read models catch up (503 PROJECTION_BEHIND with
 * Retry-After), it is asked again after the wait the server names, and the page says so meanwhile.
 */
function useReport(params: Record<string, string> | null) {
  const query = params ? `/reports/indicators?${new URLSearchParams(params)}` : null;
  return useQuery({
    queryKey: ['indicators', query],
    enabled: query !== null,
    queryFn: async () => (await call<{ rows: IndicatorRow[] }>(query!, { minPosition: latestPosition() })).data.rows,
    retry: (failures, error) =>
      error instanceof ApiError && error.code === 'PROJECTION_BEHIND'
        ? failures < 30
        : failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
    retryDelay: (_failures, error) => Math.min((error instanceof ApiError ? (error.retryAfter ?? 1) : 1) * 1000, 5000),
  });
}

const catchingUp = (...queries: { failureReason: unknown; isFetching: boolean }[]) =>
  queries.some((q) => q.isFetching && q.failureReason instanceof ApiError && q.failureReason.code === 'PROJECTION_BEHIND');

/**
 * The supervisors' dashboard: the headline figures of an area and period with their trend, the months as a
 * chart, and the areas one level down with the same figures. An area goes one level down (breadcrumbs lead
 * back up); a figure opens the list of exactly the items it counts; the table downloads as the API's CSV.
 * The area and period live in the address, so a view can be bookmarked or sent.
 */
export function Dashboard() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { query } = useLocation();
  const root = rootOf(session?.user);
  const code = query.get('area') ?? root;
  const preset = (query.get('period') as Preset | null) ?? 'month';
  const now = today();
  const from = preset === 'custom' ? (query.get('from') ?? monthStart(now, 0)) : monthStart(now, PRESETS[preset] ?? 0);
  const to = preset === 'custom' ? (query.get('to') ?? now) : now;
  const child = childOf(code);
  const [csvError, setCsvError] = useState<unknown>(null);
  const totals = useReport({ level: levelOf(code), ...(code ? { code } : {}), from, to });
  const areas = useReport(child ? { level: child, ...(code ? { code } : {}), from, to } : null);
  const go = (change: Record<string, string>) => {
    const next = new URLSearchParams({ area: code, period: preset, ...(preset === 'custom' ? { from, to } : {}), ...change });
    if (!next.get('area')) next.delete('area');
    if (next.get('period') !== 'custom') {
      next.delete('from');
      next.delete('to');
    }
    navigate(`/dashboard?${next}`);
  };
  const crumbs = [root, ...[2, 4, 6, 10].filter((n) => n > root.length && n <= code.length).map((n) => code.slice(0, n))];
  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <nav aria-label={t('dashboard.breadcrumbs')} className="crumbs">
        <ol>
          {crumbs.map((c, i) => (
            <li key={c || 'national'}>
              {i === crumbs.length - 1 ? (
                <span aria-current="location">{c ? `${t(`level.${levelOf(c)}`)} ${c}` : t('level.national')}</span>
              ) : (
                <Link
                  to={`/dashboard?${new URLSearchParams({ ...(c ? { area: c } : {}), period: preset, ...(preset === 'custom' ? { from, to } : {}) })}`}
                >
                  {c ? `${t(`level.${levelOf(c)}`)} ${c}` : t('level.national')}
                </Link>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <PeriodPicker preset={preset} from={from} to={to} onChange={go} />
      {catchingUp(totals, areas) && (
        <p className="notice" role="status">
          {t('dashboard.catchingUp')}
        </p>
      )}
      {totals.isPending ? (
        catchingUp(totals) ? null : (
          <Loading />
        )
      ) : totals.isError ? (
        <Problem error={totals.error} onRetry={() => void totals.refetch()} />
      ) : (
        <>
          <Tiles rows={totals.data} />
          <p className="muted">{t('dashboard.sumNote')}</p>
          <Suspense fallback={<Loading />}>
            <MonthlyChart rows={totals.data} />
          </Suspense>
        </>
      )}
      {child && (
        <>
          <div className="heading">
            <h2>{t('dashboard.areas', { level: t(`levels.${child}`) })}</h2>
            <button
              type="button"
              onClick={async () => {
                setCsvError(null);
                await download(`/reports/indicators?${new URLSearchParams({ level: child, ...(code ? { code } : {}), from, to })}`).catch(
                  setCsvError,
                );
              }}
            >
              {t('dashboard.csv')}
            </button>
          </div>
          <Problem error={csvError} />
          {areas.isPending ? (
            catchingUp(areas) ? null : (
              <Loading />
            )
          ) : areas.isError ? (
            <Problem error={areas.error} onRetry={() => void areas.refetch()} />
          ) : (
            <AreaTable rows={areas.data} onOpen={(area) => go({ area })} />
          )}
        </>
      )}
    </section>
  );
}

function PeriodPicker({
  preset,
  from,
  to,
  onChange,
}: {
  preset: Preset;
  from: string;
  to: string;
  onChange: (change: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const [range, setRange] = useState({ from, to });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onChange({ period: 'custom', ...range });
  };
  return (
    <div className="period">
      <div role="group" aria-label={t('dashboard.period')} className="presets">
        {(['month', '3m', '12m', 'custom'] as const).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={preset === p}
            onClick={() => onChange({ period: p, ...(p === 'custom' ? range : {}) })}
          >
            {t(`dashboard.preset_${p}`)}
          </button>
        ))}
      </div>
      {preset === 'custom' && (
        <form className="filters" onSubmit={apply} aria-label={t('dashboard.period')}>
          <label>
            {t('dashboard.from')}
            <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          </label>
          <label>
            {t('dashboard.to')}
            <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          </label>
          <div className="filter-actions">
            <button type="submit">{t('cases.apply')}</button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The API's own drill-down link of a period: the first month's link with the last month's end date. */
const drillLink = (rows: readonly IndicatorRow[], list: keyof IndicatorRow['links']): string => {
  const first = new URL(rows[0]!.links[list], 'http://x');
  const last = new URL(rows[rows.length - 1]!.links[list], 'http://x');
  for (const [name, value] of last.searchParams) if (/To$/.test(name)) first.searchParams.set(name, value);
  return `${first.pathname}?${first.searchParams}`;
};

function Tiles({ rows }: { rows: readonly IndicatorRow[] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID');
  const sorted = [...rows].sort((a, b) => a.period.localeCompare(b.period));
  const last = sorted[sorted.length - 1];
  const before = sorted[sorted.length - 2];
  return (
    <ul className="tiles">
      {HEADLINE.map((key) => {
        const total = sorted.reduce((sum, r) => sum + valueOf(r, key), 0);
        const list = DRILL[key];
        const change = last && before && key !== 'cases.overdueNow' ? valueOf(last, key) - valueOf(before, key) : null;
        return (
          <li key={key} className="tile" data-figure={key}>
            <span className="label">{t(`figure.${key}.label`)}</span>
            <span className="value">
              {list && sorted.length > 0 && total > 0 ? (
                <Link to={drillLink(sorted, list)}>{number.format(total)}</Link>
              ) : (
                number.format(total)
              )}
            </span>
            {change !== null && (
              <span className="trend">
                {change === 0
                  ? t('dashboard.same')
                  : t(change > 0 ? 'dashboard.up' : 'dashboard.down', { n: number.format(Math.abs(change)) })}
              </span>
            )}
            <small className="muted">{t(`figure.${key}.help`)}</small>
          </li>
        );
      })}
    </ul>
  );
}

/** The areas one level down, their figures summed over the period; an area opens its own dashboard. */
function AreaTable({ rows, onOpen }: { rows: readonly IndicatorRow[]; onOpen: (area: string) => void }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID');
  const byArea = new Map<string, IndicatorRow[]>();
  for (const r of rows) byArea.set(r.area, [...(byArea.get(r.area) ?? []), r]);
  const areas = [...byArea.keys()].sort();
  if (areas.length === 0) return <p>{t('dashboard.noAreas')}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('dashboard.tableLabel')}>
      <table className="figures areas">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.area')}</th>
            {HEADLINE.map((key) => (
              <th key={key} scope="col">
                {t(`figure.${key}.label`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => {
            const months = byArea.get(area)!.sort((a, b) => a.period.localeCompare(b.period));
            return (
              <tr key={area}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onOpen(area)}>
                    {area}
                  </button>
                </th>
                {HEADLINE.map((key) => {
                  const total = months.reduce((sum, r) => sum + valueOf(r, key), 0);
                  const list = DRILL[key];
                  return (
                    <td key={key}>
                      {list && total > 0 ? <Link to={drillLink(months, list)}>{number.format(total)}</Link> : number.format(total)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
