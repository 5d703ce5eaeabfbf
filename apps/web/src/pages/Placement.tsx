import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { Field, Loading, Problem, useCommand, useDraft } from '../components';
import { MILESTONES, PLACEMENT_STEPS } from '../domain';
import { daysBetween, formatDate, today } from '../format';
import { navigate } from '../router';
import { homeArea, useSession } from '../session';
import { NextSteps, Timeline } from '../steps';

interface PlacementView {
  readonly id: string;
  readonly status: string;
  readonly stage: string;
  readonly registeredOn: string;
  readonly worker: { readonly name?: string; readonly nik?: string };
  readonly milestones: Record<string, string>;
  readonly documents: readonly {
    documentId: string;
    kind: string;
    number?: string;
    issuer: string;
    issuedOn: string;
    expiresOn: string | null;
  }[];
  readonly missingDocuments: readonly string[];
  readonly revision: number;
}

/**
 * A document that expires within this many days is flagged: a passport or visa takes weeks to renew, and a
 * document expired on the day of departure makes the departure refused (DOCUMENT_EXPIRED).
 */
export const EXPIRY_WARNING_DAYS = 90;

/** Registration of a prospective worker (CPMI): who, where, when. */
export function PlacementNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const [draft, change, clear] = useDraft('placement-registration', {
    areaCode: homeArea(session?.user),
    name: '',
    nik: '',
    birthDate: '',
    phone: '',
  });
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const worker = { name: draft.name, nik: draft.nik, birthDate: draft.birthDate, ...(draft.phone ? { phone: draft.phone } : {}) };
    const written = await send('/placements', { areaCode: draft.areaCode, worker });
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['placements'] });
      navigate(`/placements/${written.id}`);
    }
  };
  return (
    <section>
      <h1>{t('placement.new')}</h1>
      <p className="muted">{t('intake.draftKept')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('intake.name')} name="worker.name" error={error}>
          {(p) => <input {...p} autoComplete="off" value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <Field label={t('placement.nik')} name="worker.nik" error={error}>
          {(p) => (
            <input {...p} inputMode="numeric" autoComplete="off" value={draft.nik} onChange={(e) => change({ nik: e.target.value })} />
          )}
        </Field>
        <Field label={t('placement.birthDate')} name="worker.birthDate" error={error}>
          {(p) => <input {...p} type="date" value={draft.birthDate} onChange={(e) => change({ birthDate: e.target.value })} />}
        </Field>
        <Field label={t('intake.phone')} name="worker.phone" error={error}>
          {(p) => <input {...p} type="tel" autoComplete="off" value={draft.phone} onChange={(e) => change({ phone: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('placement.register')}
        </button>
      </form>
    </section>
  );
}

/** A placement: where it stands (a stepper of the milestones), its documents, what can be done next, its timeline. */
export function PlacementPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const view = useQuery({ queryKey: ['placement', id], queryFn: async () => (await call<PlacementView>(`/placements/${id}`)).data });
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const p = view.data;
  const date = (iso: string | null | undefined) => formatDate(iso, i18n.language);
  // Expiry is judged on today's date where the deployment is, as the API judges it on departure.
  const now = today();
  const expiring = p.documents.filter(
    (d) => d.expiresOn !== null && daysBetween(now, d.expiresOn) >= 0 && daysBetween(now, d.expiresOn) <= EXPIRY_WARNING_DAYS,
  );
  // What can still be done: nothing once it ended; after departure only the arrival and the return.
  const ended = ['returned', 'withdrawn', 'failed_to_depart', 'flagged_non_procedural'].includes(p.status);
  const departed = p.status === 'departed';
  const next = PLACEMENT_STEPS.filter(
    (s) => !ended && (!s.milestone || p.milestones[s.milestone] === undefined) && (!departed || s.key === 'arrival' || s.key === 'return'),
  );
  return (
    <section>
      <h1>
        {t('placement.title')}: {p.worker.name}
      </h1>
      <p>
        {t(`status.${p.status}`, { defaultValue: p.status })} · {t('placement.registeredOn', { date: date(p.registeredOn) })}
      </p>
      <h2>{t('placement.progress')}</h2>
      <ol className="stepper">
        {MILESTONES.map((m) => (
          <li key={m} className={p.milestones[m] ? 'done' : undefined}>
            <span>{t(`milestone.${m}`)}</span>
            {p.milestones[m] && <span className="meta"> · {date(p.milestones[m])}</span>}
            {p.milestones[m] && <span className="visually-hidden"> ({t('placement.done')})</span>}
          </li>
        ))}
      </ol>
      <h2>{t('placement.documents')}</h2>
      {p.missingDocuments.length > 0 && (
        <p className="notice">
          {t('placement.missing', { documents: p.missingDocuments.map((k) => t(`docKind.${k}`, { defaultValue: k })).join(', ') })}
        </p>
      )}
      {expiring.length > 0 && (
        <p className="notice">{t('placement.expiringNotice', { count: expiring.length, days: EXPIRY_WARNING_DAYS })}</p>
      )}
      <ul className="items">
        {p.documents.map((d) => {
          const left = d.expiresOn === null ? null : daysBetween(now, d.expiresOn);
          const expired = left !== null && left < 0;
          const soon = left !== null && !expired && left <= EXPIRY_WARNING_DAYS;
          return (
            <li key={d.documentId} className={expired ? 'item overdue' : soon ? 'item soon' : 'item'}>
              <strong>{t(`docKind.${d.kind}`, { defaultValue: d.kind })}</strong> {d.number}
              <div className="meta">
                {d.issuer} · {date(d.issuedOn)}
                {d.expiresOn && ` – ${date(d.expiresOn)}`}
                {expired && <strong className="late"> · {t('placement.expired')}</strong>}
                {soon && <strong className="warn"> · {t('placement.expiresIn', { count: left })}</strong>}
              </div>
            </li>
          );
        })}
      </ul>
      <NextSteps steps={next} record={`/placements/${p.id}`} revision={p.revision} queryKey={['placement', p.id]} documents={p.documents} />
      <Timeline record={`/placements/${p.id}`} queryKey={['placement', p.id]} />
    </section>
  );
}
