import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { Field, Loading, Problem } from '../components';
import { formatDate } from '../format';
import { RecordList } from '../lists';
import { records } from '../roles';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { JoinGroup } from './Enterprise';

/**
 * Find a person by NIK. The NIK goes in the body of POST /subjects/lookup, never in an address (so in no
 * history, proxy or server log), and is not kept on the device: not in a draft, not in the page's address.
 */
export function PersonSearch() {
  const { t } = useTranslation();
  const [nik, setNik] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotFound(false);
    try {
      const { data } = await call<{ items: { id: string }[] }>('/subjects/lookup', { body: { nik: nik.trim() } });
      const found = data.items[0];
      if (found) navigate(`/people/${found.id}`);
      else setNotFound(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>{t('people.title')}</h1>
      <form onSubmit={submit} noValidate className="form" role="search">
        <Field label={t('placement.nik')} name="nik" error={error} hint={t('people.nikHint')}>
          {(p) => (
            <input {...p} inputMode="numeric" autoComplete="off" maxLength={16} value={nik} onChange={(e) => setNik(e.target.value)} />
          )}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('people.find')}
        </button>
      </form>
      {notFound && (
        <div className="notice" role="status">
          <p>{t('people.notFound')}</p>
          <p className="links">
            <Link to="/placements/new">{t('placement.new')}</Link> · <Link to="/cases/new">{t('cases.new')}</Link> ·{' '}
            <Link to="/preventions/new">{t('prevention.new')}</Link>
          </p>
        </div>
      )}
    </section>
  );
}

interface SubjectView {
  readonly id: string;
  readonly kind: string;
  readonly areaCode: string;
  readonly status: 'active' | 'erased';
  readonly personal: Record<string, string>;
  readonly registeredAt: string;
  readonly sameAsSubjectId: string | null;
}

/** A person and their records in the officer's territory: cases, placements and prevention reports that name them. */
export function PersonPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const person = useQuery({ queryKey: ['subject', id], queryFn: async () => (await call<SubjectView>(`/subjects/${id}`)).data });
  if (person.isPending) return <Loading />;
  if (person.isError) return <Problem error={person.error} onRetry={() => void person.refetch()} />;
  const p = person.data;
  const subject = { subject: p.id };
  return (
    <section>
      <h1>{p.status === 'erased' ? t('people.erased') : (p.personal.name ?? t('people.unnamed'))}</h1>
      <dl className="facts">
        {p.personal.nik && (
          <>
            <dt>{t('placement.nik')}</dt>
            <dd>{p.personal.nik}</dd>
          </>
        )}
        {p.personal.birthDate && (
          <>
            <dt>{t('placement.birthDate')}</dt>
            <dd>{formatDate(p.personal.birthDate, i18n.language)}</dd>
          </>
        )}
        <dt>{t('intake.area')}</dt>
        <dd>{p.areaCode}</dd>
        <dt>{t('people.registeredAt')}</dt>
        <dd>{formatDate(p.registeredAt, i18n.language)}</dd>
      </dl>
      {p.sameAsSubjectId && <p className="notice">{t('people.sameAs')}</p>}
      <h2>{t('nav.cases')}</h2>
      <RecordList kind="cases" params={subject} empty={t('people.none')} />
      <h2>{t('nav.placements')}</h2>
      <RecordList kind="placements" params={subject} empty={t('people.none')} />
      <h2>{t('nav.preventions')}</h2>
      <RecordList kind="preventions" params={subject} empty={t('people.none')} />
      <h2>{t('people.communities')}</h2>
      <RecordList kind="communities" params={subject} empty={t('people.none')} />
      <h2>{t('nav.enquiries')}</h2>
      <p>
        <Link to={`/enquiries/new?person=${id}`}>{t('people.newEnquiry')}</Link>
      </p>
      <RecordList kind="enquiries" params={subject} empty={t('people.none')} />
      <h2>{t('nav.businesses')}</h2>
      <p>
        <Link to={`/businesses/new?owner=${id}`}>{t('people.newBusiness')}</Link>
      </p>
      <RecordList kind="businesses" params={subject} empty={t('people.none')} />
      <h2>{t('nav.groups')}</h2>
      <RecordList kind="business-groups" params={subject} empty={t('people.none')} />
      {records(session?.user) && p.status === 'active' && <JoinGroup subjectId={p.id} />}
      <h2>{t('nav.sessions')}</h2>
      <RecordList kind="sessions" params={subject} empty={t('people.none')} />
    </section>
  );
}
