import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, call } from '../api';
import { Field, Loading, Problem, useCommand, useDraft } from '../components';
import { CASE_STEPS, type Step } from '../domain';
import { formatDate, formatRupiah } from '../format';
import { NextSteps, Timeline } from '../steps';

interface CaseView {
  readonly id: string;
  readonly status: string;
  readonly channel: string;
  readonly categories: readonly string[];
  readonly urgency: string | null;
  readonly destinationCountry: string | null;
  readonly worker: { readonly name?: string };
  readonly complaint: string;
  readonly assignedTo: string | null;
  readonly openedAt: string;
  readonly deadlines: {
    firstAction: { due: string; doneAt: string | null; overdue: boolean };
    resolution: { due: string; doneAt: string | null; overdue: boolean };
  } | null;
  readonly actions: readonly {
    actionId: string;
    kind: string;
    status: string;
    referredTo: string | null;
    organisation: string | null;
    amountClaimed: number | string | null;
    amountPaid: number | string | null;
  }[];
  readonly revision: number;
}

/** A case: where it stands, what is due, its timeline; a note added with If-Match on what is shown. */
export function CasePage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const view = useQuery({ queryKey: ['case', id], queryFn: async () => (await call<CaseView>(`/cases/${id}`)).data });
  const [draft, change, clear] = useDraft(`case-note-${id}`, { text: '' });
  const { send, error, busy, setError } = useCommand();
  const [changed, setChanged] = useState(false);
  const [saved, setSaved] = useState<'saved' | 'queued' | false>(false);
  useEffect(() => {
    // Someone else wrote since this page was loaded: their change is shown, the note is kept to send again.
    if (error instanceof ApiError && error.status === 412) {
      setChanged(true);
      setError(null);
      void queries.invalidateQueries({ queryKey: ['case', id] });
    }
  }, [error, id, queries, setError]);
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const c = view.data;
  const addNote = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const written = await send(`/cases/${id}/notes`, { text: draft.text }, { ifMatch: `"${c.revision}"` });
    if (written) {
      clear();
      setChanged(false);
      setSaved(written.queued ? 'queued' : 'saved');
    }
    await queries.invalidateQueries({ queryKey: ['case', id] });
  };
  const date = (iso: string | null | undefined) => formatDate(iso, i18n.language);
  const money = (amount: number | string | null) => (typeof amount === 'number' ? formatRupiah(amount, i18n.language) : null);
  // What can be done next: nothing once closed or waiting for the closure's approval.
  const working = c.status === 'open';
  // An accepted referral is still open until it is completed (a case cannot close over it).
  const openActions = c.actions.filter((a) => a.status === 'started' || (a.kind === 'referral' && a.status === 'accepted'));
  const steps: Step[] = working
    ? [
        ...CASE_STEPS,
        ...openActions.flatMap((a): Step[] => [
          {
            key: `outcome-${a.actionId}`,
            path: `actions/${a.actionId}/outcome`,
            label: `${t('caseAction.answer')}: ${t(`actionKind.${a.kind}`)}${a.organisation ? ` (${a.organisation})` : ''}`,
            fields: [
              {
                name: 'outcome',
                kind: 'select',
                options: a.kind === 'referral' && a.status === 'started' ? ['accepted', 'declined', 'no_response'] : ['completed'],
                catalog: 'actionOutcome',
              },
              { name: 'reason', kind: 'text', optional: true },
              ...(a.kind === 'referral' ? [] : [{ name: 'amountPaid', kind: 'rupiah' as const, optional: true }]),
            ],
          },
          ...(a.kind === 'mediation'
            ? [
                {
                  key: `minutes-${a.actionId}`,
                  path: `actions/${a.actionId}/minutes`,
                  label: t('caseAction.minutes'),
                  fields: [{ name: 'minutes', kind: 'text' as const }],
                },
              ]
            : []),
        ]),
      ]
    : [];

  return (
    <section>
      <h1>
        {t('case.title')}: {c.categories.map((k) => t(`category.${k}`, { defaultValue: k })).join(', ')}
      </h1>
      <dl className="facts">
        <dt>{t('case.status')}</dt>
        <dd>{t(`status.${c.status}`)}</dd>
        <dt>{t('case.worker')}</dt>
        <dd>{c.worker.name}</dd>
        <dt>{t('case.channel')}</dt>
        <dd>{t(`channel.${c.channel}`)}</dd>
        <dt>{t('case.urgency')}</dt>
        <dd>{c.urgency ? t(`urgency.${c.urgency}`) : '—'}</dd>
        <dt>{t('case.destination')}</dt>
        <dd>{c.destinationCountry ?? t('case.unknown')}</dd>
        <dt>{t('case.openedAt')}</dt>
        <dd>{date(c.openedAt)}</dd>
        <dt>{t('case.complaint')}</dt>
        <dd className="text">{c.complaint}</dd>
        {c.deadlines && (
          <>
            <dt>{t('case.firstAction')}</dt>
            <dd className={c.deadlines.firstAction.overdue ? 'late' : undefined}>
              {date(c.deadlines.firstAction.due)}
              {c.deadlines.firstAction.overdue && ` · ${t('worklist.overdue')}`}
            </dd>
            <dt>{t('case.resolution')}</dt>
            <dd className={c.deadlines.resolution.overdue ? 'late' : undefined}>
              {date(c.deadlines.resolution.due)}
              {c.deadlines.resolution.overdue && ` · ${t('worklist.overdue')}`}
            </dd>
          </>
        )}
      </dl>
      <h2>{t('caseAction.title')}</h2>
      {c.actions.length === 0 ? (
        <p className="muted">{t('caseAction.none')}</p>
      ) : (
        <ul className="items">
          {c.actions.map((a) => (
            <li key={a.actionId} className="item">
              <strong>{t(`actionKind.${a.kind}`, { defaultValue: a.kind })}</strong>{' '}
              <span className="tag">{t(`actionStatus.${a.status}`, { defaultValue: a.status })}</span>
              <div className="meta">
                {[
                  a.referredTo && t(`referralTarget.${a.referredTo}`),
                  a.organisation,
                  money(a.amountClaimed) && `${t('caseAction.claimed')} ${money(a.amountClaimed)}`,
                  money(a.amountPaid) && `${t('caseAction.paid')} ${money(a.amountPaid)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </li>
          ))}
        </ul>
      )}
      <NextSteps steps={steps} record={`/cases/${c.id}`} revision={c.revision} queryKey={['case', c.id]} />
      <form onSubmit={addNote} className="form card" noValidate>
        <h2>{t('case.addNote')}</h2>
        {changed && (
          <p className="notice" role="status">
            {t('case.changed')}
          </p>
        )}
        <Field label={t('case.note')} name="text" error={error}>
          {(p) => <textarea {...p} rows={3} value={draft.text} onChange={(e) => change({ text: e.target.value })} />}
        </Field>
        <Problem error={error} />
        {saved && (
          <p role="status" className="ok">
            {saved === 'queued' ? t('offline.queued') : t('case.saved')}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('case.save')}
        </button>
      </form>
      <Timeline record={`/cases/${id}`} queryKey={['case', id]} />
    </section>
  );
}
