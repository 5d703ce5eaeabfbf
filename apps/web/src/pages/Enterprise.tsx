/**
 * The economic unit as its officers record it: a member's business (started from the owner's page), its
 * monthly volume and corrections, its status; KUR for a business (the amounts shown only here, within the
 * village's territory); a consultation about a business; business groups and cooperatives.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { CatalogOptions, Field, Loading, Problem, useCommand, useDraft } from '../components';
import {
  BUSINESS_SECTORS,
  BUSINESS_STATUSES,
  CONSULTATION_TOPICS,
  CONSULTED_AGENCIES,
  KUR_SCHEMES,
  LEGAL_STATUSES,
  REPAYMENT_STATUSES,
} from '../domain';
import { formatDate, formatRupiah, today } from '../format';
import { records } from '../roles';
import { Link, navigate, useLocation } from '../router';
import { homeArea, useSession } from '../session';

/** A number as typed: sent as a number when it is one, as typed otherwise (the server explains the refusal). */
const amount = (text: string): number | string => (/^\d+$/.test(text) ? Number(text) : text);

const lastMonth = (): string => {
  const [y, m] = today().split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
};

/** A small form for one step on a record: its fields, the refusal if any, and the submit button. */
function StepBox({
  title,
  onSubmit,
  error,
  busy,
  children,
}: {
  title: string;
  onSubmit: (e: FormEvent) => void;
  error: unknown;
  busy: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <h2>{title}</h2>
      {children}
      <Problem error={error} />
      <button type="submit" disabled={busy}>
        {t('enterprise.save')}
      </button>
    </form>
  );
}

interface BusinessView {
  readonly id: string;
  readonly areaCode: string;
  readonly name: string;
  readonly sector: string;
  readonly startedOn: string;
  readonly status: string;
  readonly owners: readonly string[];
  readonly volumes: readonly { month: string; turnover: number; employed: number }[];
}

/** A new business, from its owner's page (`?owner=`): a business is always a member's. */
export function BusinessNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const owner = useLocation().query.get('owner');
  const queries = useQueryClient();
  const [draft, change, clear] = useDraft(`business-${owner ?? ''}`, {
    areaCode: homeArea(session?.user),
    name: '',
    sector: 'trade',
    startedOn: today(),
  });
  const { send, error, busy } = useCommand();
  if (!owner) return <p>{t('business.fromOwner')}</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send('/businesses', { ...draft, owners: [owner] });
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['businesses'] });
      navigate(`/businesses/${written.id}`);
    }
  };
  return (
    <section>
      <h1>{t('business.new')}</h1>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('business.name')} name="name" error={error}>
          {(p) => <input {...p} value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <Field label={t('business.sector')} name="sector" error={error}>
          {(p) => (
            <select {...p} value={draft.sector} onChange={(e) => change({ sector: e.target.value })}>
              <CatalogOptions values={BUSINESS_SECTORS} catalog="sector" />
            </select>
          )}
        </Field>
        <Field label={t('business.started')} name="startedOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.startedOn} onChange={(e) => change({ startedOn: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('business.register')}
        </button>
      </form>
    </section>
  );
}

/** A business: its months (each as last corrected), the month to report, a correction, its status, KUR and consultations. */
export function BusinessPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const view = useQuery({ queryKey: ['business', id], queryFn: async () => call<BusinessView>(`/businesses/${id}`) });
  const [report, changeReport, clearReport] = useDraft(`volume-${id}`, { month: lastMonth(), turnover: '', employed: '' });
  const [fix, changeFix, clearFix] = useDraft(`correction-${id}`, { month: '', turnover: '', employed: '', reason: '' });
  const [status, setStatus] = useState({ status: 'paused', reason: '' });
  const reporting = useCommand();
  const correcting = useCommand();
  const changing = useCommand();
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const b = view.data.data;
  const refresh = () => queries.invalidateQueries({ queryKey: ['business', id] });
  const money = (n: number) => formatRupiah(n, i18n.language);
  const sendReport = async (event: FormEvent) => {
    event.preventDefault();
    const body = { month: report.month, turnover: amount(report.turnover), employed: amount(report.employed) };
    if (await reporting.send(`/businesses/${id}/volumes`, body, { ifMatch: view.data.etag })) {
      clearReport();
      await refresh();
    }
  };
  const sendFix = async (event: FormEvent) => {
    event.preventDefault();
    const body = { month: fix.month, turnover: amount(fix.turnover), employed: amount(fix.employed), reason: fix.reason };
    if (await correcting.send(`/businesses/${id}/volume-corrections`, body, { ifMatch: view.data.etag })) {
      clearFix();
      await refresh();
    }
  };
  const sendStatus = async (event: FormEvent) => {
    event.preventDefault();
    if (await changing.send(`/businesses/${id}/status`, status, { ifMatch: view.data.etag })) await refresh();
  };
  const mine = records(session?.user) && b.status !== 'closed';
  return (
    <section>
      <h1>{b.name}</h1>
      <dl className="facts">
        <dt>{t('business.sector')}</dt>
        <dd>{t(`sector.${b.sector}`)}</dd>
        <dt>{t('business.started')}</dt>
        <dd>{formatDate(b.startedOn, i18n.language)}</dd>
        <dt>{t('business.status')}</dt>
        <dd>{t(`businessStatus.${b.status}`)}</dd>
        <dt>{t('business.owners')}</dt>
        <dd>
          {b.owners.map((o) => (
            <Link key={o} to={`/people/${o}`}>
              #{o.slice(0, 8)}
            </Link>
          ))}
        </dd>
      </dl>
      <h2>{t('business.volumes')}</h2>
      {b.volumes.length === 0 ? (
        <p>{t('business.noVolumes')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('business.month')}</th>
                <th scope="col">{t('business.turnover')}</th>
                <th scope="col">{t('business.employed')}</th>
              </tr>
            </thead>
            <tbody>
              {b.volumes.map((v) => (
                <tr key={v.month}>
                  <td>{v.month}</td>
                  <td>{money(v.turnover)}</td>
                  <td>{v.employed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {records(session?.user) && (
        <p className="steps">
          <Link to={`/kur/new?business=${b.id}&applicant=${b.owners[0]}`}>{t('business.applyKur')}</Link>{' '}
          <Link to={`/consultations/new?business=${b.id}`}>{t('business.consult')}</Link>
        </p>
      )}
      {records(session?.user) && (
        <StepBox title={t('business.report')} onSubmit={(e) => void sendReport(e)} error={reporting.error} busy={reporting.busy}>
          <Field label={t('business.month')} name="month" error={reporting.error} id="report-month">
            {(p) => <input {...p} type="month" value={report.month} onChange={(e) => changeReport({ month: e.target.value })} />}
          </Field>
          <Field label={t('business.turnover')} name="turnover" error={reporting.error} id="report-turnover">
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={report.turnover}
                onChange={(e) => changeReport({ turnover: e.target.value.trim() })}
              />
            )}
          </Field>
          <Field label={t('business.employed')} name="employed" error={reporting.error} id="report-employed">
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={report.employed}
                onChange={(e) => changeReport({ employed: e.target.value.trim() })}
              />
            )}
          </Field>
        </StepBox>
      )}
      {records(session?.user) && b.volumes.length > 0 && (
        <StepBox title={t('business.correct')} onSubmit={(e) => void sendFix(e)} error={correcting.error} busy={correcting.busy}>
          <Field label={t('business.month')} name="month" error={correcting.error} id="fix-month">
            {(p) => (
              <select {...p} value={fix.month} onChange={(e) => changeFix({ month: e.target.value })}>
                <option value="">{t('business.chooseMonth')}</option>
                {b.volumes.map((v) => (
                  <option key={v.month} value={v.month}>
                    {v.month}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('business.turnover')} name="turnover" error={correcting.error} id="fix-turnover">
            {(p) => (
              <input {...p} inputMode="numeric" value={fix.turnover} onChange={(e) => changeFix({ turnover: e.target.value.trim() })} />
            )}
          </Field>
          <Field label={t('business.employed')} name="employed" error={correcting.error} id="fix-employed">
            {(p) => (
              <input {...p} inputMode="numeric" value={fix.employed} onChange={(e) => changeFix({ employed: e.target.value.trim() })} />
            )}
          </Field>
          <Field label={t('session.reason')} name="reason" error={correcting.error} id="fix-reason">
            {(p) => <input {...p} value={fix.reason} onChange={(e) => changeFix({ reason: e.target.value })} />}
          </Field>
        </StepBox>
      )}
      {mine && (
        <StepBox title={t('business.changeStatus')} onSubmit={(e) => void sendStatus(e)} error={changing.error} busy={changing.busy}>
          <Field label={t('business.status')} name="status" error={changing.error} id="status-status">
            {(p) => (
              <select {...p} value={status.status} onChange={(e) => setStatus({ ...status, status: e.target.value })}>
                <CatalogOptions values={BUSINESS_STATUSES} catalog="businessStatus" />
              </select>
            )}
          </Field>
          <Field label={t('session.reason')} name="reason" error={changing.error} id="status-reason">
            {(p) => <input {...p} value={status.reason} onChange={(e) => setStatus({ ...status, reason: e.target.value })} />}
          </Field>
        </StepBox>
      )}
    </section>
  );
}

interface KurView {
  readonly id: string;
  readonly applicantSubjectId: string;
  readonly businessId: string | null;
  readonly bank: string;
  readonly scheme: string;
  readonly appliedOn: string;
  readonly amountRequested: number | null;
  readonly status: 'applied' | 'approved' | 'refused' | 'disbursed';
  readonly amountApproved: number | null;
  readonly refusalReason: string | null;
  readonly amountDisbursed: number | null;
  readonly repayment: string | null;
}

/** A KUR application for a business's owner (`?business=&applicant=`). */
export function KurNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { query } = useLocation();
  const [business, applicant] = [query.get('business'), query.get('applicant')];
  const [draft, change, clear] = useDraft(`kur-${business ?? ''}`, { bank: '', scheme: 'micro', amountRequested: '', appliedOn: today() });
  const { send, error, busy } = useCommand();
  if (!business || !applicant) return <p>{t('kur.fromBusiness')}</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send('/kur', {
      areaCode: homeArea(session?.user),
      applicantSubjectId: applicant,
      businessId: business,
      bank: draft.bank,
      scheme: draft.scheme,
      amountRequested: amount(draft.amountRequested),
      appliedOn: draft.appliedOn,
    });
    if (written) {
      clear();
      navigate(`/kur/${written.id}`);
    }
  };
  return (
    <section>
      <h1>{t('kur.new')}</h1>
      <p className="muted">{t('kur.sealed')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('kur.bank')} name="bank" error={error}>
          {(p) => <input {...p} value={draft.bank} onChange={(e) => change({ bank: e.target.value })} />}
        </Field>
        <Field label={t('kur.scheme')} name="scheme" error={error}>
          {(p) => (
            <select {...p} value={draft.scheme} onChange={(e) => change({ scheme: e.target.value })}>
              <CatalogOptions values={KUR_SCHEMES} catalog="kurScheme" />
            </select>
          )}
        </Field>
        <Field label={t('kur.amountRequested')} name="amountRequested" error={error}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={draft.amountRequested}
              onChange={(e) => change({ amountRequested: e.target.value.trim() })}
            />
          )}
        </Field>
        <Field label={t('kur.appliedOn')} name="appliedOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.appliedOn} onChange={(e) => change({ appliedOn: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('kur.apply')}
        </button>
      </form>
    </section>
  );
}

/** A KUR application: its amounts (opened for the village's officers), the bank's decision, disbursement, repayment. */
export function KurPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const view = useQuery({ queryKey: ['kur', id], queryFn: async () => call<KurView>(`/kur/${id}`) });
  const [step, setStep] = useState({ amount: '', reason: '', repayment: 'current' });
  const { send, error, busy } = useCommand();
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const k = view.data.data;
  const money = (n: number | null) => (n === null ? '—' : formatRupiah(n, i18n.language));
  const act = async (path: string, body: object) => {
    if (await send(`/kur/${id}/${path}`, body, { ifMatch: view.data.etag })) {
      setStep({ amount: '', reason: '', repayment: 'current' });
      await queries.invalidateQueries({ queryKey: ['kur', id] });
    }
  };
  return (
    <section>
      <h1>
        {t('kur.title')} · {k.bank}
      </h1>
      <dl className="facts">
        <dt>{t('kur.status')}</dt>
        <dd>{t(`kurStatus.${k.status}`)}</dd>
        <dt>{t('kur.scheme')}</dt>
        <dd>{t(`kurScheme.${k.scheme}`)}</dd>
        <dt>{t('kur.appliedOn')}</dt>
        <dd>{formatDate(k.appliedOn, i18n.language)}</dd>
        <dt>{t('kur.amountRequested')}</dt>
        <dd>{money(k.amountRequested)}</dd>
        <dt>{t('kur.amountApproved')}</dt>
        <dd>{money(k.amountApproved)}</dd>
        <dt>{t('kur.amountDisbursed')}</dt>
        <dd>{money(k.amountDisbursed)}</dd>
        {k.repayment && (
          <>
            <dt>{t('kur.repayment')}</dt>
            <dd>{t(`repayment.${k.repayment}`)}</dd>
          </>
        )}
        {k.businessId && (
          <>
            <dt>{t('kur.business')}</dt>
            <dd>
              <Link to={`/businesses/${k.businessId}`}>#{k.businessId.slice(0, 8)}</Link>
            </dd>
          </>
        )}
      </dl>
      {records(session?.user) && k.status !== 'refused' && (
        <form onSubmit={(e) => e.preventDefault()} noValidate className="form">
          <h2>{t('placement.next')}</h2>
          {(k.status === 'applied' || k.status === 'approved') && (
            <Field label={t('kur.amount')} name="amount" error={error}>
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={step.amount}
                  onChange={(e) => setStep({ ...step, amount: e.target.value.trim() })}
                />
              )}
            </Field>
          )}
          {k.status === 'applied' && (
            <Field label={t('kur.refusalReason')} name="reason" error={error}>
              {(p) => <input {...p} value={step.reason} onChange={(e) => setStep({ ...step, reason: e.target.value })} />}
            </Field>
          )}
          {k.status === 'disbursed' && (
            <Field label={t('kur.repayment')} name="status" error={error}>
              {(p) => (
                <select {...p} value={step.repayment} onChange={(e) => setStep({ ...step, repayment: e.target.value })}>
                  <CatalogOptions values={REPAYMENT_STATUSES} catalog="repayment" />
                </select>
              )}
            </Field>
          )}
          <Problem error={error} />
          <div className="steps">
            {k.status === 'applied' && (
              <>
                <button type="button" disabled={busy} onClick={() => void act('approval', { amount: amount(step.amount) })}>
                  {t('kur.approve')}
                </button>
                <button type="button" disabled={busy} onClick={() => void act('refusal', { reason: step.reason })}>
                  {t('kur.refuse')}
                </button>
              </>
            )}
            {k.status === 'approved' && (
              <button type="button" disabled={busy} onClick={() => void act('disbursement', { amount: amount(step.amount) })}>
                {t('kur.disburse')}
              </button>
            )}
            {k.status === 'disbursed' && (
              <button type="button" disabled={busy} onClick={() => void act('repayment', { status: step.repayment })}>
                {t('kur.recordRepayment')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/** A consultation about a business (`?business=`). */
export function ConsultationNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const business = useLocation().query.get('business');
  const [draft, change, clear] = useDraft(`consultation-${business ?? ''}`, {
    agency: 'cooperative_office',
    topic: 'business_plan',
    heldOn: today(),
  });
  const { send, error, busy } = useCommand();
  if (!business) return <p>{t('consultation.fromBusiness')}</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await send('/consultations', { areaCode: homeArea(session?.user), businesses: [business], ...draft })) {
      clear();
      navigate(`/businesses/${business}`);
    }
  };
  return (
    <section>
      <h1>{t('consultation.new')}</h1>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('consultation.agency')} name="agency" error={error}>
          {(p) => (
            <select {...p} value={draft.agency} onChange={(e) => change({ agency: e.target.value })}>
              <CatalogOptions values={CONSULTED_AGENCIES} catalog="agency" />
            </select>
          )}
        </Field>
        <Field label={t('consultation.topic')} name="topic" error={error}>
          {(p) => (
            <select {...p} value={draft.topic} onChange={(e) => change({ topic: e.target.value })}>
              <CatalogOptions values={CONSULTATION_TOPICS} catalog="consultationTopic" />
            </select>
          )}
        </Field>
        <Field label={t('consultation.day')} name="heldOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.heldOn} onChange={(e) => change({ heldOn: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('consultation.record')}
        </button>
      </form>
    </section>
  );
}

interface ConsultationView {
  readonly id: string;
  readonly areaCode: string;
  readonly heldOn: string;
  readonly agency: string;
  readonly topic: string;
  readonly businesses: readonly string[];
}

/** A consultation as recorded: with whom, on what, when, and the businesses it concerned. */
export function ConsultationPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const view = useQuery({ queryKey: ['consultation', id], queryFn: async () => call<ConsultationView>(`/consultations/${id}`) });
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const c = view.data.data;
  return (
    <section>
      <h1>
        {t('consultation.title')} · {t(`agency.${c.agency}`)}
      </h1>
      <dl className="facts">
        <dt>{t('consultation.topic')}</dt>
        <dd>{t(`consultationTopic.${c.topic}`)}</dd>
        <dt>{t('consultation.day')}</dt>
        <dd>{formatDate(c.heldOn, i18n.language)}</dd>
        <dt>{t('consultation.concerned')}</dt>
        <dd>
          {c.businesses.map((b, i) => (
            <span key={b}>
              {i > 0 && ', '}
              <Link to={`/businesses/${b}`}>#{b.slice(0, 8)}</Link>
            </span>
          ))}
        </dd>
      </dl>
    </section>
  );
}

interface GroupView {
  readonly id: string;
  readonly name: string;
  readonly formedOn: string;
  readonly legalStatus: string;
  readonly registrationNumber: string | null;
  readonly members: readonly string[];
}

export function GroupNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [draft, change, clear] = useDraft('group', {
    areaCode: homeArea(session?.user),
    name: '',
    formedOn: today(),
    legalStatus: 'informal',
    registrationNumber: '',
  });
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { registrationNumber, ...rest } = draft;
    const written = await send('/business-groups', { ...rest, ...(registrationNumber ? { registrationNumber } : {}) });
    if (written) {
      clear();
      navigate(`/business-groups/${written.id}`);
    }
  };
  return (
    <section>
      <h1>{t('group.new')}</h1>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('group.name')} name="name" error={error}>
          {(p) => <input {...p} value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <Field label={t('group.formed')} name="formedOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.formedOn} onChange={(e) => change({ formedOn: e.target.value })} />}
        </Field>
        <Field label={t('group.legalStatus')} name="legalStatus" error={error}>
          {(p) => (
            <select {...p} value={draft.legalStatus} onChange={(e) => change({ legalStatus: e.target.value })}>
              <CatalogOptions values={LEGAL_STATUSES} catalog="legalStatus" />
            </select>
          )}
        </Field>
        <Field label={t('group.registrationNumber')} name="registrationNumber" error={error}>
          {(p) => <input {...p} value={draft.registrationNumber} onChange={(e) => change({ registrationNumber: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('group.form')}
        </button>
      </form>
    </section>
  );
}

export function GroupPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const view = useQuery({ queryKey: ['group', id], queryFn: async () => call<GroupView>(`/business-groups/${id}`) });
  const [number, setNumber] = useState('');
  const { send, error, busy } = useCommand();
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const g = view.data.data;
  const register = async (event: FormEvent) => {
    event.preventDefault();
    if (await send(`/business-groups/${id}/cooperative`, { registrationNumber: number }, { ifMatch: view.data.etag }))
      await queries.invalidateQueries({ queryKey: ['group', id] });
  };
  return (
    <section>
      <h1>{g.name}</h1>
      <dl className="facts">
        <dt>{t('group.formed')}</dt>
        <dd>{formatDate(g.formedOn, i18n.language)}</dd>
        <dt>{t('group.legalStatus')}</dt>
        <dd>
          {t(`legalStatus.${g.legalStatus}`)}
          {g.registrationNumber ? ` · ${g.registrationNumber}` : ''}
        </dd>
        <dt>{t('group.members')}</dt>
        <dd>{g.members.length}</dd>
      </dl>
      <h2>{t('group.members')}</h2>
      {g.members.length === 0 ? (
        <p>{t('group.noMembers')}</p>
      ) : (
        <ul className="items">
          {g.members.map((m) => (
            <li key={m} className="item">
              <Link to={`/people/${m}`}>
                {t('group.member')} <span className="ref">#{m.slice(0, 8)}</span>
              </Link>
              {records(session?.user) && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void send(`/business-groups/${id}/members/${m}/leaving`, {}, { ifMatch: view.data.etag }).then(
                      (done) => done && queries.invalidateQueries({ queryKey: ['group', id] }),
                    )
                  }
                >
                  {t('group.leaves')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {records(session?.user) && <p className="muted">{t('group.joinFromPerson')}</p>}
      {records(session?.user) && g.legalStatus === 'informal' && (
        <StepBox title={t('group.registerCooperative')} onSubmit={(e) => void register(e)} error={error} busy={busy}>
          <Field label={t('group.registrationNumber')} name="registrationNumber" error={error} id="coop-number">
            {(p) => <input {...p} value={number} onChange={(e) => setNumber(e.target.value)} />}
          </Field>
        </StepBox>
      )}
    </section>
  );
}

/**
 * A person joins a business group of the village, from their page: the groups of the officer's territory
 * to choose from, the person's own groups listed on the page.
 */
export function JoinGroup({ subjectId }: { subjectId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const groups = useQuery({
    queryKey: ['business-groups', 'choices'],
    queryFn: async () => (await call<{ items: { id: string; name: string }[] }>('/business-groups?limit=200')).data.items,
  });
  const [group, setGroup] = useState('');
  const { send, error, busy } = useCommand();
  if (groups.isPending) return <Loading />;
  if (groups.isError) return <Problem error={groups.error} onRetry={() => void groups.refetch()} />;
  if (groups.data.length === 0) return null;
  const join = async (event: FormEvent) => {
    event.preventDefault();
    if (await send(`/business-groups/${group}/members`, { subjectId })) {
      setGroup('');
      await queries.invalidateQueries({ queryKey: ['business-groups'] });
    }
  };
  return (
    <form onSubmit={(e) => void join(e)} noValidate className="form">
      <Field label={t('group.join')} name="group" error={error} id="join-group">
        {(p) => (
          <select {...p} value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">{t('group.choose')}</option>
            {groups.data.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Problem error={error} />
      <button type="submit" disabled={busy || group === ''}>
        {t('group.admit')}
      </button>
    </form>
  );
}
