import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../api';
import { Field, Problem, useCommand, useDraft, useFieldMessages } from '../components';
import { CATEGORIES, CHANNELS, RELATIONSHIPS } from '../domain';
import { navigate } from '../router';
import { homeArea, useSession } from '../session';

/** Intake of a complaint: channel, worker, complainant, categories. Kept as a draft until it is saved. */
export function CaseNew() {
  const { t } = useTranslation();
  const { session } = useSession();
  const queries = useQueryClient();
  const [draft, change, clear] = useDraft('case-intake', {
    areaCode: homeArea(session?.user),
    channel: 'walk_in',
    categories: [] as string[],
    name: '',
    nik: '',
    phone: '',
    sex: '',
    relationship: 'self',
    complainantName: '',
    destinationCountry: '',
    complaint: '',
  });
  const { send, error, busy } = useCommand();
  const categoryErrors = useFieldMessages(error, 'categories');
  const refusedCategory = error instanceof ApiError && error.code === 'NO_CATEGORY';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const worker = {
      name: draft.name,
      ...(draft.nik ? { nik: draft.nik } : {}),
      ...(draft.phone ? { phone: draft.phone } : {}),
      ...(draft.sex ? { sex: draft.sex } : {}),
    };
    const body = {
      areaCode: draft.areaCode,
      channel: draft.channel,
      categories: draft.categories,
      worker,
      relationship: draft.relationship,
      ...(draft.relationship !== 'self' && draft.complainantName ? { complainant: { name: draft.complainantName } } : {}),
      ...(draft.destinationCountry ? { destinationCountry: draft.destinationCountry.toUpperCase() } : {}),
      complaint: draft.complaint,
    };
    const written = await send('/cases', body);
    if (written) {
      clear();
      await queries.invalidateQueries({ queryKey: ['cases'] });
      await queries.invalidateQueries({ queryKey: ['worklist'] });
      navigate(`/cases/${written.id}`);
    }
  };
  const toggle = (category: string) =>
    change({
      categories: draft.categories.includes(category) ? draft.categories.filter((c) => c !== category) : [...draft.categories, category],
    });
  return (
    <section>
      <h1>{t('intake.title')}</h1>
      <p className="muted">{t('intake.draftKept')}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={t('intake.area')} name="areaCode" error={error}>
          {(p) => <input {...p} inputMode="numeric" value={draft.areaCode} onChange={(e) => change({ areaCode: e.target.value })} />}
        </Field>
        <Field label={t('intake.channel')} name="channel" error={error}>
          {(p) => (
            <select {...p} value={draft.channel} onChange={(e) => change({ channel: e.target.value })}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset
          className={categoryErrors.length || refusedCategory ? 'invalid' : undefined}
          aria-describedby={categoryErrors.length ? 'categories-error' : undefined}
        >
          <legend>{t('intake.categories')}</legend>
          {categoryErrors.length > 0 && (
            <small id="categories-error" className="error">
              {categoryErrors.join('; ')}
            </small>
          )}
          <div className="choices">
            {CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input type="checkbox" name="categories" value={c} checked={draft.categories.includes(c)} onChange={() => toggle(c)} />
                {t(`category.${c}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('intake.worker')}</legend>
          <Field label={t('intake.name')} name="worker.name" error={error}>
            {(p) => <input {...p} autoComplete="off" value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
          </Field>
          <Field label={t('intake.nik')} name="worker.nik" error={error}>
            {(p) => (
              <input {...p} inputMode="numeric" autoComplete="off" value={draft.nik} onChange={(e) => change({ nik: e.target.value })} />
            )}
          </Field>
          <Field label={t('intake.phone')} name="worker.phone" error={error}>
            {(p) => <input {...p} type="tel" autoComplete="off" value={draft.phone} onChange={(e) => change({ phone: e.target.value })} />}
          </Field>
          <Field label={t('intake.sex')} name="worker.sex" error={error}>
            {(p) => (
              <select {...p} value={draft.sex} onChange={(e) => change({ sex: e.target.value })}>
                <option value="">{t('intake.sexUnknown')}</option>
                <option value="F">{t('sex.F')}</option>
                <option value="M">{t('sex.M')}</option>
              </select>
            )}
          </Field>
        </fieldset>
        <Field label={t('intake.relationship')} name="relationship" error={error}>
          {(p) => (
            <select {...p} value={draft.relationship} onChange={(e) => change({ relationship: e.target.value })}>
              {RELATIONSHIPS.map((r) => (
                <option key={r} value={r}>
                  {t(`relationship.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.relationship !== 'self' && (
          <Field label={`${t('intake.complainant')}: ${t('intake.name')}`} name="complainant.name" error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="off"
                value={draft.complainantName}
                onChange={(e) => change({ complainantName: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field label={t('intake.destination')} name="destinationCountry" error={error}>
          {(p) => (
            <input
              {...p}
              maxLength={2}
              autoCapitalize="characters"
              value={draft.destinationCountry}
              onChange={(e) => change({ destinationCountry: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('intake.complaint')} name="complaint" error={error}>
          {(p) => <textarea {...p} rows={4} value={draft.complaint} onChange={(e) => change({ complaint: e.target.value })} />}
        </Field>
        <Problem error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('intake.saving') : t('intake.submit')}
        </button>
      </form>
    </section>
  );
}
