/**
 * A KKBM community: formed for its village, its members with their relation to migration. An officer adds
 * a member by name (the person is registered, then admitted), changes a member's relation, records that a
 * member left (the reason is sealed with their key), and records the community's dissolution; each member
 * links to their page, which lists their placements, cases and prevention records.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { CatalogOptions, Field, Loading, Problem, useCommand, useDraft } from '../components';
import { RELATIONS } from '../domain';
import { formatDate, today } from '../format';
import { records } from '../roles';
import { Link, navigate } from '../router';
import { homeArea, useSession } from '../session';

interface CommunityView {
  readonly id: string;
  readonly areaCode: string;
  readonly villages: readonly string[];
  readonly name: string;
  readonly formedOn: string;
  readonly status: 'active' | 'dissolved';
  readonly members: readonly { readonly subjectId: string; readonly relation: string; readonly joinedOn: string }[];
  readonly formerMembers: number;
}

export function CommunityNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const [draft, change, clear] = useDraft('community', { areaCode: homeArea(session?.user), name: '', formedOn: today() });
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send('/communities', draft);
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['communities'] });
      navigate(`/communities/${written.id}`);
    }
  };
  return (
    <section>
      <h1>{t('community.new')}</h1>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('community.name')} name="name" error={error}>
          {(p) => <input {...p} value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <Field label={t('community.formed')} name="formedOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.formedOn} onChange={(e) => change({ formedOn: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('community.form')}
        </button>
      </form>
    </section>
  );
}

/** The community's members, and (for its officers) a member to add. */
export function CommunityPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const view = useQuery({ queryKey: ['community', id], queryFn: async () => call<CommunityView>(`/communities/${id}`) });
  // The person registered is kept with the draft: a failed admission is sent again without registering twice.
  const [draft, change, clear] = useDraft(`member-${id}`, { name: '', relation: 'prospective_worker', subjectId: '' });
  const { send, error, busy } = useCommand();
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const c = view.data.data;
  const refresh = () => void queries.invalidateQueries({ queryKey: ['community', id] });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    let subjectId = draft.subjectId;
    if (!subjectId) {
      const registered = await send('/subjects', { kind: 'worker', areaCode: c.areaCode, consentBasis: 'consent', name: draft.name });
      if (!registered) return;
      subjectId = registered.id;
      change({ subjectId });
    }
    const admitted = await send(`/communities/${id}/members`, { subjectId, relation: draft.relation });
    if (admitted) {
      clear();
      await queries.invalidateQueries({ queryKey: ['community', id] });
    }
  };
  return (
    <section>
      <h1>{c.name}</h1>
      <dl className="facts">
        <dt>{t('community.formed')}</dt>
        <dd>{formatDate(c.formedOn, i18n.language)}</dd>
        <dt>{t('community.villages')}</dt>
        <dd>{c.villages.join(', ')}</dd>
        <dt>{t('community.status')}</dt>
        <dd>{t(`communityStatus.${c.status}`)}</dd>
      </dl>
      <h2>{t('community.members', { count: c.members.length })}</h2>
      {c.members.length === 0 ? (
        <p>{t('community.noMembers')}</p>
      ) : (
        <ul className="items">
          {c.members.map((m) => (
            <li key={m.subjectId} className="item">
              <Link to={`/people/${m.subjectId}`}>{t(`relation.${m.relation}`)}</Link>
              <div className="meta">
                {t('community.joined', { date: formatDate(m.joinedOn, i18n.language) })}{' '}
                <span className="ref">#{m.subjectId.slice(0, 8)}</span>
              </div>
              {records(session?.user) && c.status === 'active' && (
                <MemberSteps community={id} member={m} etag={view.data.etag} onDone={refresh} />
              )}
            </li>
          ))}
        </ul>
      )}
      {records(session?.user) && c.status === 'active' && (
        <form onSubmit={add} noValidate className="form">
          <h2>{t('community.addMember')}</h2>
          <Field label={t('intake.name')} name="name" error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="off"
                value={draft.name}
                disabled={draft.subjectId !== ''}
                onChange={(e) => change({ name: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('community.relation')} name="relation" error={error}>
            {(p) => (
              <select {...p} value={draft.relation} onChange={(e) => change({ relation: e.target.value })}>
                <CatalogOptions values={RELATIONS} catalog="relation" />
              </select>
            )}
          </Field>
          <Problem error={error} />
          <button type="submit" disabled={busy}>
            {t('community.admit')}
          </button>
        </form>
      )}
      {records(session?.user) && c.status === 'active' && <Dissolution community={id} etag={view.data.etag} onDone={refresh} />}
    </section>
  );
}

/**
 * What an officer records about one member, folded away until asked for (a list of members stays short on
 * a phone): a new relation to migration, or their leaving with its reason.
 */
function MemberSteps({
  community,
  member,
  etag,
  onDone,
}: {
  community: string;
  member: CommunityView['members'][number];
  etag: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [relation, setRelation] = useState(member.relation);
  const [reason, setReason] = useState('');
  const { send, error, busy } = useCommand();
  const base = `/communities/${community}/members/${member.subjectId}`;
  const step = async (path: string, body: object) => {
    if (await send(`${base}/${path}`, body, { ifMatch: etag })) onDone();
  };
  const key = member.subjectId.slice(0, 8);
  return (
    <details className="steps-box">
      <summary>{t('community.memberSteps')}</summary>
      <form onSubmit={(e) => e.preventDefault()} noValidate className="form">
        <Field label={t('community.relation')} name="relation" error={error} id={`relation-${key}`}>
          {(p) => (
            <select {...p} value={relation} onChange={(e) => setRelation(e.target.value)}>
              <CatalogOptions values={RELATIONS} catalog="relation" />
            </select>
          )}
        </Field>
        <button type="button" disabled={busy || relation === member.relation} onClick={() => void step('relation', { relation })}>
          {t('community.changeRelation')}
        </button>
        <Field label={t('community.leavingReason')} name="reason" error={error} id={`leaving-${key}`} hint={t('community.sealedHint')}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Problem error={error} />
        <button type="button" disabled={busy} onClick={() => void step('leaving', { reason })}>
          {t('community.recordLeaving')}
        </button>
      </form>
    </details>
  );
}

/** The community's dissolution: a reason about the community (not a person), stored as written. */
function Dissolution({ community, etag, onDone }: { community: string; etag: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { send, error, busy } = useCommand();
  const dissolve = async (event: FormEvent) => {
    event.preventDefault();
    if (await send(`/communities/${community}/dissolution`, { reason }, { ifMatch: etag })) onDone();
  };
  return (
    <details className="steps-box">
      <summary>{t('community.dissolve')}</summary>
      <form onSubmit={(e) => void dissolve(e)} noValidate className="form">
        <Field label={t('community.dissolutionReason')} name="reason" error={error} id="dissolution-reason">
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          {t('community.recordDissolution')}
        </button>
      </form>
    </details>
  );
}
