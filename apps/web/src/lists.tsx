import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { latestPosition, read } from './api';
import { Loading, Problem } from './components';
import {
  BUSINESS_STATUSES,
  CATEGORIES,
  CONSULTED_AGENCIES,
  ENQUIRY_CHANNELS,
  ENQUIRY_OUTCOMES,
  ENQUIRY_REFERRALS,
  FLAGS,
  KUR_STATUSES,
  MILESTONES,
  PREVENTION_OUTCOMES,
  SEED_TOPICS,
  SOURCES,
  URGENCIES,
} from './domain';
import { formatDate } from './format';
import { records } from './roles';
import { Link, navigate } from './router';
import { useSession } from './session';

/** The record lists the API pages with cursors, and the filters each of them takes. */
export type RecordKind =
  | 'cases'
  | 'placements'
  | 'preventions'
  | 'sessions'
  | 'enquiries'
  | 'communities'
  | 'businesses'
  | 'business-groups'
  | 'kur'
  | 'consultations';

interface Filter {
  readonly name: string;
  readonly kind: 'select' | 'date' | 'check' | 'area';
  readonly options?: readonly string[];
  /** The catalog section naming the options (`status.open`, `category.ill`, ...). */
  readonly catalog?: string;
}

/** Each list's filters, exactly the query parameters its route accepts (see the OpenAPI document). */
export const FILTERS: Record<RecordKind, readonly Filter[]> = {
  cases: [
    { name: 'status', kind: 'select', options: ['open', 'suspended', 'resolved', 'closed'], catalog: 'status' },
    { name: 'category', kind: 'select', options: CATEGORIES, catalog: 'category' },
    { name: 'urgency', kind: 'select', options: URGENCIES, catalog: 'urgency' },
    { name: 'openedFrom', kind: 'date' },
    { name: 'openedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
    { name: 'overdue', kind: 'check' },
  ],
  placements: [
    {
      name: 'status',
      kind: 'select',
      options: ['open', 'departed', 'returned', 'withdrawn', 'failed_to_depart', 'flagged_non_procedural'],
      catalog: 'status',
    },
    { name: 'stage', kind: 'select', options: ['registered', ...MILESTONES], catalog: 'milestone' },
    { name: 'registeredFrom', kind: 'date' },
    { name: 'registeredTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  preventions: [
    { name: 'status', kind: 'select', options: ['reported', 'confirmed', 'dismissed', 'outcome_recorded', 'closed'], catalog: 'status' },
    { name: 'source', kind: 'select', options: SOURCES, catalog: 'source' },
    { name: 'flag', kind: 'select', options: FLAGS, catalog: 'flag' },
    { name: 'outcome', kind: 'select', options: PREVENTION_OUTCOMES, catalog: 'preventionOutcome' },
    { name: 'reportedFrom', kind: 'date' },
    { name: 'reportedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  sessions: [
    { name: 'topic', kind: 'select', options: SEED_TOPICS, catalog: 'topic' },
    { name: 'heldFrom', kind: 'date' },
    { name: 'heldTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  enquiries: [
    { name: 'channel', kind: 'select', options: ENQUIRY_CHANNELS, catalog: 'enquiryChannel' },
    { name: 'outcome', kind: 'select', options: ENQUIRY_OUTCOMES, catalog: 'enquiryOutcome' },
    { name: 'referredTo', kind: 'select', options: ENQUIRY_REFERRALS, catalog: 'enquiryReferral' },
    { name: 'receivedFrom', kind: 'date' },
    { name: 'receivedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  communities: [
    { name: 'status', kind: 'select', options: ['active', 'dissolved'], catalog: 'communityStatus' },
    { name: 'formedFrom', kind: 'date' },
    { name: 'formedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  businesses: [
    { name: 'status', kind: 'select', options: BUSINESS_STATUSES, catalog: 'businessStatus' },
    { name: 'startedFrom', kind: 'date' },
    { name: 'startedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  'business-groups': [
    { name: 'formedFrom', kind: 'date' },
    { name: 'formedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  kur: [
    { name: 'status', kind: 'select', options: KUR_STATUSES, catalog: 'kurStatus' },
    { name: 'appliedFrom', kind: 'date' },
    { name: 'appliedTo', kind: 'date' },
    { name: 'disbursedFrom', kind: 'date' },
    { name: 'disbursedTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
  consultations: [
    { name: 'agency', kind: 'select', options: CONSULTED_AGENCIES, catalog: 'agency' },
    { name: 'heldFrom', kind: 'date' },
    { name: 'heldTo', kind: 'date' },
    { name: 'area', kind: 'area' },
  ],
};

interface Row {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  // cases
  readonly categories?: readonly string[];
  readonly urgency?: string | null;
  readonly openedAt?: string;
  readonly overdue?: boolean;
  // placements
  readonly stage?: string;
  readonly registeredOn?: string;
  readonly destinationCountry?: string | null;
  // preventions
  readonly source?: string;
  readonly reportedAt?: string;
  readonly flags?: readonly string[];
  // sessions and enquiries
  readonly kind?: 'session' | 'enquiry';
  readonly day?: string;
  readonly topics?: readonly string[];
  readonly reached?: readonly { day: string; n: number }[];
  readonly channel?: string | null;
  readonly outcome?: string | null;
  readonly referredTo?: string | null;
  // communities, businesses, groups
  readonly sector?: string | null;
  readonly legalStatus?: string | null;
  readonly monthsReported?: number;
  readonly name?: string;
  readonly formedOn?: string;
  readonly members?: number;
  // KUR applications (never an amount) and consultations
  readonly bank?: string;
  readonly scheme?: string;
  readonly appliedOn?: string;
  readonly agency?: string | null;
  readonly topic?: string | null;
  readonly businesses?: readonly string[];
}

/** One row of a list: what it is, where it stands, and when it began. */
function Item({ kind, row }: { kind: RecordKind; row: Row }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string | undefined) => formatDate(iso, i18n.language);
  // Lists carry no personal data (no names): a row says what the record is about and where it stands,
  // with the start of its id to tell two alike apart; the person is on the record's own page.
  const topics = (row.topics ?? []).map((k) => t(`topic.${k}`, { defaultValue: k.replace(/_/g, ' ') })).join(', ');
  const titles: Record<RecordKind, () => string> = {
    cases: () => (row.categories ?? []).map((k) => t(`category.${k}`, { defaultValue: k })).join(', '),
    placements: () => `${t('placement.title')}${row.destinationCountry ? ` → ${row.destinationCountry}` : ''}`,
    preventions: () => (row.flags ?? []).map((f) => t(`flag.${f}`, { defaultValue: f })).join(', ') || t('prevention.title'),
    sessions: () => topics,
    enquiries: () => topics,
    communities: () => row.name ?? '',
    businesses: () => row.name ?? '',
    'business-groups': () => row.name ?? '',
    kur: () => `${row.bank ?? ''} · ${t(`kurScheme.${row.scheme}`)}`,
    consultations: () => `${t(`agency.${row.agency}`)} · ${t(`consultationTopic.${row.topic}`)}`,
  };
  const title = titles[kind]();
  const status =
    kind === 'sessions'
      ? t('session.reached', { count: (row.reached ?? []).reduce((sum, r) => sum + r.n, 0) })
      : kind === 'enquiries'
        ? t(`enquiryOutcome.${row.outcome}`)
        : kind === 'communities'
          ? t(`communityStatus.${row.status}`)
          : kind === 'businesses'
            ? t(`businessStatus.${row.status}`)
            : kind === 'business-groups'
              ? t(`legalStatus.${row.legalStatus}`)
              : kind === 'kur'
                ? t(`kurStatus.${row.status}`)
                : kind === 'consultations'
                  ? t('consultation.businesses', { count: row.businesses?.length ?? 0 })
                  : t(`status.${row.status}`, { defaultValue: row.status });
  return (
    <li className={row.overdue ? 'item overdue' : 'item'}>
      <Link to={`/${kind}/${row.id}`}>
        {title} <span className="tag">{status}</span>
        {row.stage && <span className="tag">{t(`milestone.${row.stage}`, { defaultValue: row.stage })}</span>}
      </Link>
      <div className="meta">
        {kind === 'cases' && t('cases.opened', { date: date(row.openedAt) })}
        {kind === 'placements' && t('placement.registeredOn', { date: date(row.registeredOn) })}
        {kind === 'preventions' && t('lists.reportedOn', { date: date(row.reportedAt) })}
        {kind === 'sessions' && t('session.heldOn', { date: date(row.day) })}
        {kind === 'enquiries' && `${t('enquiry.receivedOn', { date: date(row.day) })} · ${t(`enquiryChannel.${row.channel}`)}`}
        {kind === 'businesses' && `${t(`sector.${row.sector}`)} · ${t('business.startedOn', { date: date(row.day) })}`}
        {kind === 'business-groups' && t('group.formedOn', { date: date(row.day) })}
        {kind === 'kur' && t('kur.appliedOnDate', { date: date(row.appliedOn) })}
        {kind === 'consultations' && t('consultation.heldOn', { date: date(row.day) })}
        {kind === 'communities' &&
          `${t('community.formedOn', { date: date(row.formedOn) })} · ${t('community.memberCount', { count: row.members ?? 0 })}`}
        {row.urgency && ` · ${t(`urgency.${row.urgency}`)}`}
        {row.source && ` · ${t(`source.${row.source}`, { defaultValue: row.source })}`}
        <span className="muted"> · {row.areaCode}</span> <span className="ref">#{row.id.slice(0, 8)}</span>
        {row.overdue && <strong className="late"> · {t('worklist.overdue')}</strong>}
      </div>
    </li>
  );
}

/** Rows per page: a phone's screen or two; "load more" asks for the next page with the API's cursor. */
export const PAGE_SIZE = 20;

/**
 * A record list as the API pages it: newest first, the caller's territory only, `fixed` parameters always
 * sent (a person's page lists by `subject`), "load more" following the API's cursor. After a command the
 * list asks with X-Min-Position, so the officer's own write is in it.
 */
export function RecordList({ kind, params, empty }: { kind: RecordKind; params: Record<string, string>; empty?: string }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: [kind, params],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams(
        Object.entries({ ...params, limit: String(PAGE_SIZE), cursor: pageParam }).filter(([, v]) => v !== ''),
      );
      return read<{ items: Row[]; nextCursor: string | null }>(`/${kind}?${query}`, latestPosition());
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (list.isPending) return <Loading />;
  if (list.isError) return <Problem error={list.error} onRetry={() => void list.refetch()} />;
  const rows = list.data.pages.flatMap((page) => page.items);
  return (
    <>
      {rows.length === 0 ? (
        <p>{empty ?? t('cases.empty')}</p>
      ) : (
        <ul className="items">
          {rows.map((row) => (
            <Item key={row.id} kind={kind} row={row} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('cases.more')}
        </button>
      )}
    </>
  );
}

/**
 * The filters of a list, in the page's address (a filtered list can be bookmarked and survives a reload);
 * applied with the button, so that a phone does not reload the list at every tap.
 */
export function FilterForm({ kind, query }: { kind: RecordKind; query: URLSearchParams }) {
  const { t } = useTranslation();
  const filters = FILTERS[kind];
  const [form, setForm] = useState<Record<string, string>>(() => Object.fromEntries(filters.map((f) => [f.name, query.get(f.name) ?? ''])));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const chosen = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''));
    navigate(`/${kind}${chosen.size > 0 ? `?${chosen}` : ''}`);
  };
  const clear = () => {
    setForm(Object.fromEntries(filters.map((f) => [f.name, ''])));
    navigate(`/${kind}`);
  };
  const active = filters.filter((f) => query.get(f.name)).length;
  return (
    <details className="filter-box" open={active > 0}>
      <summary>{active > 0 ? t('lists.filtersActive', { count: active }) : t('cases.filters')}</summary>
      <form className="filters" onSubmit={apply} aria-label={t('cases.filters')}>
        {filters.map((f) =>
          f.kind === 'check' ? (
            <label key={f.name} className="check">
              <input
                type="checkbox"
                checked={form[f.name] === 'true'}
                onChange={(e) => setForm({ ...form, [f.name]: e.target.checked ? 'true' : '' })}
              />
              {t(`filter.${f.name}`)}
            </label>
          ) : (
            <label key={f.name}>
              {t(`filter.${f.name}`)}
              {f.kind === 'select' ? (
                <select value={form[f.name]} onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}>
                  <option value="">{t('cases.any')}</option>
                  {f.options!.map((o) => (
                    <option key={o} value={o}>
                      {t(`${f.catalog}.${o}`, { defaultValue: o })}
                    </option>
                  ))}
                </select>
              ) : f.kind === 'date' ? (
                <input type="date" value={form[f.name]} onChange={(e) => setForm({ ...form, [f.name]: e.target.value })} />
              ) : (
                <input
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="32, 3201, …"
                  value={form[f.name]}
                  onChange={(e) => setForm({ ...form, [f.name]: e.target.value.trim() })}
                />
              )}
            </label>
          ),
        )}
        <div className="filter-actions">
          <button type="submit">{t('cases.apply')}</button>
          <button type="button" className="link" onClick={clear}>
            {t('lists.clear')}
          </button>
        </div>
      </form>
    </details>
  );
}

/** The lists whose records start here; a KUR application and a consultation start from a business's page. */
const NEW_LABEL: Partial<Record<RecordKind, string>> = {
  cases: 'cases.new',
  placements: 'placement.new',
  preventions: 'prevention.new',
  sessions: 'session.new',
  enquiries: 'enquiry.new',
  communities: 'community.new',
  businesses: 'business.new',
  'business-groups': 'group.new',
};
const TITLE: Record<RecordKind, string> = {
  cases: 'cases.title',
  placements: 'nav.placements',
  preventions: 'nav.preventions',
  sessions: 'nav.sessions',
  enquiries: 'nav.enquiries',
  communities: 'nav.communities',
  businesses: 'nav.businesses',
  'business-groups': 'nav.groups',
  kur: 'nav.kur',
  consultations: 'nav.consultations',
};

/** A list page: its title, the button to start a new record, the filters, and the pages. */
export function ListPage({ kind, query }: { kind: RecordKind; query: URLSearchParams }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const params = Object.fromEntries(FILTERS[kind].map((f) => [f.name, query.get(f.name) ?? '']));
  return (
    <section>
      <div className="heading">
        <h1>{t(TITLE[kind])}</h1>
        {records(session?.user) && NEW_LABEL[kind] && (
          <Link to={`/${kind}/new`} className="button primary">
            {t(NEW_LABEL[kind])}
          </Link>
        )}
      </div>
      {kind === 'businesses' && (
        <p className="links">
          <Link to="/business-groups">{t('nav.groups')}</Link> <Link to="/kur">{t('nav.kur')}</Link>{' '}
          <Link to="/consultations">{t('nav.consultations')}</Link>
        </p>
      )}
      <FilterForm key={query.toString()} kind={kind} query={query} />
      <RecordList kind={kind} params={params} />
    </section>
  );
}
