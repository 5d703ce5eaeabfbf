/**
 * Information services, as an officer of the information-and-advocacy unit records them on a phone: a
 * dissemination session (where, when, which topics, how many people) and an enquiry answered or referred.
 * A referral names the workflow; the server opens that record and links it back, which the enquiry's page
 * shows as soon as it is done.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { CatalogOptions, Field, Loading, Problem, useCommand, useDraft } from '../components';
import { CATEGORIES, ENQUIRY_CHANNELS, ENQUIRY_REFERRALS } from '../domain';
import { formatDate, today } from '../format';
import { records } from '../roles';
import { Link, navigate, useLocation } from '../router';
import { homeArea, useSession } from '../session';

interface Topic {
  readonly code: string;
  readonly builtIn: boolean;
  readonly name: { readonly id: string; readonly en: string } | null;
}

/** The topic catalog, named in the user's language (an administrator names the topics they add). */
export function useTopics() {
  const { t, i18n } = useTranslation();
  const topics = useQuery({
    queryKey: ['information-topics'],
    queryFn: async () => (await call<{ items: Topic[] }>('/information-topics')).data.items,
    staleTime: 5 * 60_000,
  });
  const nameOf = (code: string): string => {
    const added = topics.data?.find((topic) => topic.code === code)?.name;
    if (added) return i18n.language.startsWith('id') ? added.id : added.en;
    return t(`topic.${code}`, { defaultValue: code.replace(/_/g, ' ') });
  };
  return { topics, nameOf };
}

interface SessionView {
  readonly id: string;
  readonly areaCode: string;
  readonly heldOn: string;
  readonly place: string;
  readonly topics: readonly string[];
  readonly peopleReached: number;
  readonly attendees: readonly string[];
  readonly revision: number;
}

/** A new dissemination session: kept as a draft until it is sent. */
export function SessionNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const { topics, nameOf } = useTopics();
  const [draft, change, clear] = useDraft('session', {
    areaCode: homeArea(session?.user),
    heldOn: today(),
    place: '',
    topics: [] as string[],
    peopleReached: '',
  });
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send('/sessions', {
      areaCode: draft.areaCode,
      heldOn: draft.heldOn,
      place: draft.place,
      topics: draft.topics,
      // Sent as typed: an empty or a non-number count is the server's to refuse, in the user's language.
      peopleReached: draft.peopleReached === '' ? undefined : Number(draft.peopleReached),
    });
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['sessions'] });
      navigate(`/sessions/${written.id}`);
    }
  };
  const toggle = (code: string) =>
    change({ topics: draft.topics.includes(code) ? draft.topics.filter((c) => c !== code) : [...draft.topics, code] });
  return (
    <section>
      <h1>{t('session.new')}</h1>
      <p className="muted">{t('intake.draftKept')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('session.day')} name="heldOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.heldOn} onChange={(e) => change({ heldOn: e.target.value })} />}
        </Field>
        <Field label={t('session.place')} name="place" error={error} hint={t('session.placeHint')}>
          {(p) => <input {...p} value={draft.place} onChange={(e) => change({ place: e.target.value })} />}
        </Field>
        <fieldset>
          <legend>{t('session.topics')}</legend>
          {topics.isError && <Problem error={topics.error} onRetry={() => void topics.refetch()} />}
          <div className="choices">
            {(topics.data ?? []).map((topic) => (
              <label key={topic.code} className="check">
                <input type="checkbox" value={topic.code} checked={draft.topics.includes(topic.code)} onChange={() => toggle(topic.code)} />
                {nameOf(topic.code)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t('session.peopleReached')} name="peopleReached" error={error}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={draft.peopleReached}
              onChange={(e) => change({ peopleReached: e.target.value.trim() })}
            />
          )}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('session.record')}
        </button>
      </form>
    </section>
  );
}

/** A session: what it covered, how many it reached, and a correction of the count (an event, never an overwrite). */
export function SessionPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const { nameOf } = useTopics();
  const view = useQuery({ queryKey: ['session', id], queryFn: async () => call<SessionView>(`/sessions/${id}`) });
  const [draft, change, clear] = useDraft(`session-${id}`, { peopleReached: '', reason: '' });
  const { send, error, busy } = useCommand();
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const s = view.data.data;
  const correct = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send(
      `/sessions/${id}/people-reached`,
      { peopleReached: draft.peopleReached === '' ? undefined : Number(draft.peopleReached), reason: draft.reason },
      { ifMatch: view.data.etag },
    );
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['session', id] });
    }
  };
  return (
    <section>
      <h1>{s.topics.map(nameOf).join(', ')}</h1>
      <dl className="facts">
        <dt>{t('session.day')}</dt>
        <dd>{formatDate(s.heldOn, i18n.language)}</dd>
        <dt>{t('session.place')}</dt>
        <dd>{s.place}</dd>
        <dt>{t('session.peopleReached')}</dt>
        <dd>{s.peopleReached}</dd>
        <dt>{t('session.attendees')}</dt>
        <dd>{s.attendees.length}</dd>
        <dt>{t('intake.area')}</dt>
        <dd>{s.areaCode}</dd>
      </dl>
      {records(session?.user) && (
        <form onSubmit={correct} noValidate className="form">
          <h2>{t('session.correct')}</h2>
          <Field label={t('session.peopleReached')} name="peopleReached" error={error} id="correct-peopleReached">
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={draft.peopleReached}
                onChange={(e) => change({ peopleReached: e.target.value.trim() })}
              />
            )}
          </Field>
          <Field label={t('session.reason')} name="reason" error={error}>
            {(p) => <input {...p} value={draft.reason} onChange={(e) => change({ reason: e.target.value })} />}
          </Field>
          <Problem error={error} />
          <button type="submit" disabled={busy}>
            {t('session.saveCorrection')}
          </button>
        </form>
      )}
    </section>
  );
}

interface EnquiryView {
  readonly id: string;
  readonly areaCode: string;
  readonly receivedOn: string;
  readonly channel: string;
  readonly topic: string;
  readonly enquirerSubjectId: string | null;
  readonly question: string | null;
  readonly answer: string | null;
  readonly outcome: 'answered' | 'referred';
  readonly referral: { readonly to: 'placement' | 'case' | 'prevention'; readonly recordId: string; readonly opened: boolean } | null;
}

/** A new enquiry; from a person's page it is theirs (`?person=`), otherwise the caller is anonymous. */
export function EnquiryNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { query } = useLocation();
  const person = query.get('person');
  const queries = useQueryClient();
  const { topics, nameOf } = useTopics();
  const [draft, change, clear] = useDraft(`enquiry-${person ?? 'anonymous'}`, {
    areaCode: homeArea(session?.user),
    receivedOn: today(),
    channel: 'walk_in',
    topic: '',
    question: '',
    answer: '',
    outcome: 'answered',
    to: 'prevention',
    categories: [] as string[],
    complaint: '',
    destinationCountry: '',
  });
  const { send, error, busy } = useCommand<{ id: string; position?: string }>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const referral =
      draft.outcome === 'referred'
        ? {
            to: draft.to,
            ...(draft.destinationCountry && draft.to !== 'placement' ? { destinationCountry: draft.destinationCountry.toUpperCase() } : {}),
            ...(draft.to === 'case' ? { categories: draft.categories, complaint: draft.complaint } : {}),
          }
        : undefined;
    const written = await send('/enquiries', {
      areaCode: draft.areaCode,
      receivedOn: draft.receivedOn,
      channel: draft.channel,
      topic: draft.topic,
      ...(person ? { enquirerSubjectId: person } : {}),
      ...(draft.question ? { question: draft.question } : {}),
      ...(draft.answer ? { answer: draft.answer } : {}),
      outcome: draft.outcome,
      ...(referral ? { referral } : {}),
    });
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['enquiries'] });
      navigate(`/enquiries/${written.id}`);
    }
  };
  const toggle = (category: string) =>
    change({
      categories: draft.categories.includes(category) ? draft.categories.filter((c) => c !== category) : [...draft.categories, category],
    });
  return (
    <section>
      <h1>{t('enquiry.new')}</h1>
      <p className="muted">{person ? t('enquiry.forPerson') : t('enquiry.anonymous')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('enquiry.day')} name="receivedOn" error={error}>
          {(p) => <input {...p} type="date" value={draft.receivedOn} onChange={(e) => change({ receivedOn: e.target.value })} />}
        </Field>
        <Field label={t('enquiry.channel')} name="channel" error={error}>
          {(p) => (
            <select {...p} value={draft.channel} onChange={(e) => change({ channel: e.target.value })}>
              <CatalogOptions values={ENQUIRY_CHANNELS} catalog="enquiryChannel" />
            </select>
          )}
        </Field>
        <Field label={t('enquiry.topic')} name="topic" error={error}>
          {(p) => (
            <select {...p} value={draft.topic} onChange={(e) => change({ topic: e.target.value })}>
              <option value="">{t('enquiry.chooseTopic')}</option>
              {(topics.data ?? []).map((topic) => (
                <option key={topic.code} value={topic.code}>
                  {nameOf(topic.code)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('enquiry.question')} name="question" error={error}>
          {(p) => <textarea {...p} rows={2} value={draft.question} onChange={(e) => change({ question: e.target.value })} />}
        </Field>
        <Field label={t('enquiry.answer')} name="answer" error={error}>
          {(p) => <textarea {...p} rows={2} value={draft.answer} onChange={(e) => change({ answer: e.target.value })} />}
        </Field>
        <fieldset>
          <legend>{t('enquiry.outcome')}</legend>
          {(['answered', 'referred'] as const).map((o) => (
            <label key={o} className="check">
              <input type="radio" name="outcome" value={o} checked={draft.outcome === o} onChange={() => change({ outcome: o })} />
              {t(`enquiryOutcome.${o}`)}
            </label>
          ))}
        </fieldset>
        {draft.outcome === 'referred' && (
          <fieldset>
            <legend>{t('enquiry.referral')}</legend>
            <Field label={t('enquiry.referTo')} name="referral.to" error={error}>
              {(p) => (
                <select {...p} value={draft.to} onChange={(e) => change({ to: e.target.value })}>
                  <CatalogOptions values={ENQUIRY_REFERRALS} catalog="enquiryReferral" />
                </select>
              )}
            </Field>
            {draft.to !== 'placement' && (
              <Field label={t('intake.destination')} name="referral.destinationCountry" error={error}>
                {(p) => (
                  <input
                    {...p}
                    maxLength={2}
                    value={draft.destinationCountry}
                    onChange={(e) => change({ destinationCountry: e.target.value })}
                  />
                )}
              </Field>
            )}
            {draft.to === 'case' && (
              <>
                <fieldset>
                  <legend>{t('intake.categories')}</legend>
                  <div className="choices">
                    {CATEGORIES.map((c) => (
                      <label key={c} className="check">
                        <input type="checkbox" value={c} checked={draft.categories.includes(c)} onChange={() => toggle(c)} />
                        {t(`category.${c}`)}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <Field label={t('intake.complaint')} name="referral.complaint" error={error}>
                  {(p) => <textarea {...p} rows={3} value={draft.complaint} onChange={(e) => change({ complaint: e.target.value })} />}
                </Field>
              </>
            )}
          </fieldset>
        )}
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('enquiry.record')}
        </button>
      </form>
    </section>
  );
}

/** An enquiry: what was asked and answered, and the record it was referred to once it is open. */
export function EnquiryPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { nameOf } = useTopics();
  const view = useQuery({
    queryKey: ['enquiry', id],
    queryFn: async () => (await call<EnquiryView>(`/enquiries/${id}`)).data,
    // The referred record is opened by the server a moment later: ask again until it is linked.
    refetchInterval: (q) => (q.state.data?.referral && !q.state.data.referral.opened ? 2000 : false),
  });
  if (view.isPending) return <Loading />;
  if (view.isError) return <Problem error={view.error} onRetry={() => void view.refetch()} />;
  const e = view.data;
  const target = e.referral ? `/${e.referral.to === 'case' ? 'cases' : `${e.referral.to}s`}/${e.referral.recordId}` : null;
  return (
    <section>
      <h1>{nameOf(e.topic)}</h1>
      <dl className="facts">
        <dt>{t('enquiry.day')}</dt>
        <dd>{formatDate(e.receivedOn, i18n.language)}</dd>
        <dt>{t('enquiry.channel')}</dt>
        <dd>{t(`enquiryChannel.${e.channel}`)}</dd>
        <dt>{t('enquiry.outcome')}</dt>
        <dd>{t(`enquiryOutcome.${e.outcome}`)}</dd>
        {e.question && (
          <>
            <dt>{t('enquiry.question')}</dt>
            <dd>{e.question}</dd>
          </>
        )}
        {e.answer && (
          <>
            <dt>{t('enquiry.answer')}</dt>
            <dd>{e.answer}</dd>
          </>
        )}
        {e.enquirerSubjectId && (
          <>
            <dt>{t('enquiry.enquirer')}</dt>
            <dd>
              <Link to={`/people/${e.enquirerSubjectId}`}>{t('enquiry.openPerson')}</Link>
            </dd>
          </>
        )}
      </dl>
      {e.referral && target && (
        <p role="status">
          {e.referral.opened ? (
            <Link to={target}>{t('enquiry.openedRecord', { record: t(`enquiryReferral.${e.referral.to}`) })}</Link>
          ) : (
            t('enquiry.opening', { record: t(`enquiryReferral.${e.referral.to}`) })
          )}
        </p>
      )}
    </section>
  );
}
