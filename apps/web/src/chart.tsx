/**
 * The months of a period as grouped bars (cases opened, placements registered, prevention reports), drawn
 * as SVG by this component: no chart library, because three series of at most a few dozen bars need none,
 * and this chunk stays about 1 KB gzipped, loaded only when a dashboard opens. The numbers are also
 * given as a table for screen readers and for anyone who prefers figures to bars.
 */
import { useTranslation } from 'react-i18next';

import { type IndicatorRow, valueOf } from './indicators';

const SERIES = [
  ['cases.opened', 'var(--accent)'],
  ['placements.registered', '#1d4ed8'],
  ['preventions.reported', '#8a6d00'],
] as const;

export default function MonthlyChart({ rows }: { rows: readonly IndicatorRow[] }) {
  const { t, i18n } = useTranslation();
  const months = [...rows].sort((a, b) => a.period.localeCompare(b.period));
  const max = Math.max(1, ...months.flatMap((r) => SERIES.map(([key]) => valueOf(r, key))));
  const monthName = (period: string) =>
    new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
      new Date(`${period}-01T00:00:00Z`),
    );
  const group = 3 * 10 + 8;
  const width = Math.max(280, months.length * group + 30);
  const height = 160;
  return (
    <figure className="chart">
      <figcaption id="chart-caption">{t('dashboard.chart')}</figcaption>
      <div className="legend" aria-hidden="true">
        {SERIES.map(([key, color]) => (
          <span key={key}>
            <i style={{ background: color }} /> {t(`figure.${key}.label`)}
          </span>
        ))}
      </div>
      <div className="chart-scroll">
        <svg viewBox={`0 0 ${width} ${height + 24}`} width={width} height={height + 24} role="img" aria-labelledby="chart-caption">
          <line x1="24" x2={width} y1={height} y2={height} stroke="currentColor" strokeWidth="1" />
          <text x="0" y="10" fontSize="10" fill="currentColor">
            {max}
          </text>
          {months.map((r, i) => (
            <g key={r.period} transform={`translate(${30 + i * group},0)`}>
              {SERIES.map(([key, color], j) => {
                const h = Math.round((valueOf(r, key) / max) * (height - 12));
                return <rect key={key} x={j * 10} y={height - h} width="9" height={h} fill={color} />;
              })}
              <text x="0" y={height + 14} fontSize="10" fill="currentColor">
                {monthName(r.period)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <details>
        <summary>{t('dashboard.chartTable')}</summary>
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.month')}</th>
              {SERIES.map(([key]) => (
                <th key={key} scope="col">
                  {t(`figure.${key}.label`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((r) => (
              <tr key={r.period}>
                <th scope="row">{monthName(r.period)}</th>
                {SERIES.map(([key]) => (
                  <td key={key}>{valueOf(r, key)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
