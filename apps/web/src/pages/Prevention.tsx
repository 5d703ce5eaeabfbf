import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { Field, Loading, Problem, useCommand, useDraft } from '../components';
import { FLAGS, PREVENTION_STEPS, SOURCES, type Step } from '../domain';
import { formatDate } from '../format';
import { Link, navigate } from '../router';
import { homeArea, useSession } from '../session';
import { NextSteps, Timeline } from '../steps';

interface PreventionView {
  readonly id: string;
  readonly status: string;
  readonly source: string;
  readonly person: { readonly name?: string } | null;
  readonly destinationCountry: string | null;
  readonly description: string | null;
  readonly flags: readonly { flagId: string; flag: string; status: string }[];
  readonly interventions: readonly { interventionId: string; kind: string; on: string }[];
  readonly outcome: { outcome: string; at: string } | null;
  readonly linkedPlacements: readonly { placementId: string; role: string }[];
  readonly linkedCases: readonly string[];
  readonly caseRequested: string | null;
  readonly revision: number;
}

/** A report of non-procedural recruitment: who is at risk, where to, the warning signs seen. */
export function PreventionNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const [draft, change, clear] = useDraft('prevention-report', {
    areaCode: homeArea(session?.user),
    source: 'community_report',
    name: '',
    nik: '',
    birthDate: '',
    destinationCountry: '',
    description: '',
    flags: [] as string[],
  });
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const person = draft.name
      ? { name: draft.name, ...(draft.nik ? { nik: draft.nik } : {}), ...(draft.birthDate ? { birthDate: draft.birthDate } : {}) }
      : undefined;
    const written = await send('/preventions', {
      areaCode: draft.areaCode,
      source: draft.source,
      ...(person ? { person } : {}),
      ...(draft.destinationCountry ? { destinationCountry: draft.destinationCountry.toUpperCase() } : {}),
      ...(draft.description ? { description: draft.description } : {}),
      flags: draft.flags.map((flag) => ({ flag })),
    });
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['preventions'] });
      navigate(`/preventions/${written.id}`);
    }
  };
  const toggle = (flag: string) =>
    change({ flags: draft.flags.includes(flag) ? draft.flags.filter((f) => f !== flag) : [...draft.flags, flag] });
  return (
    <section>
      <h1>{t('prevention.new')}</h1>
      <p className="muted">{t('intake.draftKept')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('prevention.source')} name="source" error={error}>
          {(p) => (
            <select {...p} value={draft.source} onChange={(e) => change({ source: e.target.value })}>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`source.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>{t('prevention.person')}</legend>
          <Field label={t('intake.name')} name="person.name" error={error}>
            {(p) => <input {...p} autoComplete="off" value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
          </Field>
          <Field label={t('intake.nik')} name="person.nik" error={error}>
            {(p) => (
              <input {...p} inputMode="numeric" autoComplete="off" value={draft.nik} onChange={(e) => change({ nik: e.target.value })} />
            )}
          </Field>
          <Field label={t('placement.birthDate')} name="person.birthDate" error={error}>
            {(p) => <input {...p} type="date" value={draft.birthDate} onChange={(e) => change({ birthDate: e.target.value })} />}
          </Field>
        </fieldset>
        <Field label={t('intake.destination')} name="destinationCountry" error={error}>
          {(p) => (
            <input {...p} maxLength={2} value={draft.destinationCountry} onChange={(e) => change({ destinationCountry: e.target.value })} />
          )}
        </Field>
        <Field label={t('prevention.description')} name="description" error={error}>
          {(p) => <textarea {...p} rows={3} value={draft.description} onChange={(e) => change({ description: e.target.value })} />}
        </Field>
        <fieldset>
          <legend>{t('prevention.flags')}</legend>
          <div className="choices">
            {FLAGS.map((f) => (
              <label key={f} className="check">
                <input type="checkbox" value={f} checked={draft.flags.includes(f)} onChange={() => toggle(f)} />
                {t(`flag.${f}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('prevention.report')}
        </button>
      </form>
    </section>
  );
}

/** A prevention record: its warning signs to confirm, the next steps, what it opened (links both ways), its timeline. */
export function PreventionPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const view = useQuery({
    queryKey: ['prevention', id],
    queryFn: async () => (await call<PreventionView>(`/preventions/${id}`)).data,
    refetchInterval: (q) =>
      q.state.data?.outcome && q.state.data.linkedPlacements.length + q.state.data.linkedCases.length === 0 ? 2000 : false,
  });
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const p = view.data;
  const closed = p.status === 'closed' || p.status === 'dismissed';
  const flagSteps: Step[] = p.flags
    .filter((f) => f.status === 'raised')
    .flatMap((f) => [
      {
        key: `confirm-${f.flagId}`,
        path: `/preventions/${p.id}/flags/${f.flagId}/confirmation`,
        fields: [],
        label: `${t('prevention.confirmFlag')}: ${t(`flag.${f.flag}`)}`,
      },
      {
        key: `dismiss-${f.flagId}`,
        path: `/preventions/${p.id}/flags/${f.flagId}/dismissal`,
        fields: [{ name: 'reason', kind: 'text' }],
        label: `${t('prevention.dismissFlag')}: ${t(`flag.${f.flag}`)}`,
      },
    ]);
  const steps = closed
    ? []
    : [
        ...flagSteps,
        ...PREVENTION_STEPS.filter((s) => {
          if (s.key === 'verification') return p.status === 'reported';
          if (s.key === 'outcome') return !p.outcome;
          if (s.key === 'caseRequest') return p.outcome?.outcome === 'departed_non_procedurally' && !p.caseRequested;
          return true;
        }),
      ];
  return (
    <section>
      <h1>
        {t('prevention.title')}
        {p.person?.name ? `: ${p.person.name}` : ''}
      </h1>
      <dl className="facts">
        <dt>{t('case.status')}</dt>
        <dd>{t(`status.${p.status}`, { defaultValue: p.status })}</dd>
        <dt>{t('prevention.source')}</dt>
        <dd>{t(`source.${p.source}`, { defaultValue: p.source })}</dd>
        <dt>{t('case.destination')}</dt>
        <dd>{p.destinationCountry ?? t('case.unknown')}</dd>
        {p.description && (
          <>
            <dt>{t('prevention.description')}</dt>
            <dd className="text">{p.description}</dd>
          </>
        )}
        {p.outcome && (
          <>
            <dt>{t('stepField.outcome')}</dt>
            <dd>
              {t(`preventionOutcome.${p.outcome.outcome}`)} · {formatDate(p.outcome.at, i18n.language)}
            </dd>
          </>
        )}
      </dl>
      <h2>{t('prevention.flags')}</h2>
      <ul className="items">
        {p.flags.map((f) => (
          <li key={f.flagId} className="item">
            {t(`flag.${f.flag}`, { defaultValue: f.flag })}{' '}
            <span className="tag">{t(`flagStatus.${f.status}`, { defaultValue: f.status })}</span>
          </li>
        ))}
      </ul>
      {(p.linkedPlacements.length > 0 || p.linkedCases.length > 0) && (
        <>
          <h2>{t('prevention.links')}</h2>
          <ul className="items">
            {p.linkedPlacements.map((l) => (
              <li key={l.placementId} className="item">
                <Link to={`/placements/${l.placementId}`}>{t('prevention.linkedPlacement')}</Link>
              </li>
            ))}
            {p.linkedCases.map((c) => (
              <li key={c} className="item">
                <Link to={`/cases/${c}`}>{t('prevention.linkedCase')}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <NextSteps steps={steps} record={`/preventions/${p.id}`} revision={p.revision} queryKey={['prevention', p.id]} />
      <Timeline record={`/preventions/${p.id}`} queryKey={['prevention', p.id]} />
    </section>
  );
}
