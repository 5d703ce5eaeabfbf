import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { call } from '../api';
import { CatalogOptions, Field, Loading, Problem, useCommand } from '../components';
import { BACKGROUNDS, SECTORS, UNITS } from '../domain';
import { formatDateTime } from '../format';

const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;

interface UserView {
  readonly id: string;
  readonly username: string;
  readonly role: (typeof ROLES)[number];
  readonly scopes: readonly string[];
  readonly units?: readonly string[] | null;
  readonly background?: string | null;
  readonly status: 'active' | 'disabled';
  readonly lockedUntil: string | null;
  readonly lastLoginAt: string | null;
}

/** The role picker of the create and change forms. */
function RoleSelect(props: {
  value: string;
  onChange: (role: string) => void;
  field: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string };
}) {
  const { t } = useTranslation();
  return (
    <select {...props.field} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

/** A password to hand over once: 15 characters from an alphabet without look-alikes, from the browser's CSPRNG. */
export function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}

const scopesOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** Shown once after a create or a reset: the administrator hands it over; it is not kept anywhere. */
function OneTimePassword({ username, password }: { username: string; password: string }) {
  const { t } = useTranslation();
  return (
    <div className="notice" role="status">
      <p>{t('users.passwordOnce', { username })}</p>
      <p>
        <code className="secret">{password}</code>
      </p>
    </div>
  );
}

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const blank = { username: '', role: 'officer', scopes: '', password: newPassword(), units: [...UNITS] as string[], background: '' };
  const [form, setForm] = useState(blank);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const written = await send('/users', {
      username: form.username,
      role: form.role,
      scopes: scopesOf(form.scopes),
      password: form.password,
      // An officer's units (one or both) and background; other roles have none.
      ...(form.role === 'officer' ? { units: form.units, ...(form.background ? { background: form.background } : {}) } : {}),
    });
    if (written) {
      setCreated({ username: form.username, password: form.password });
      setForm({ ...blank, password: newPassword() });
      onCreated();
    }
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-user">
      <h2 id="create-user">{t('users.create')}</h2>
      {created && <OneTimePassword {...created} />}
      <Field label={t('users.username')} name="username" error={error} hint={t('users.usernameHint')}>
        {(p) => <input {...p} autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />}
      </Field>
      <Field label={t('users.role')} name="role" error={error}>
        {(p) => <RoleSelect field={p} value={form.role} onChange={(role) => setForm({ ...form, role })} />}
      </Field>
      <Field label={t('users.scopes')} name="scopes" error={error} hint={t('users.scopesHint')}>
        {(p) => <input {...p} autoComplete="off" value={form.scopes} onChange={(e) => setForm({ ...form, scopes: e.target.value })} />}
      </Field>
      {form.role === 'officer' && (
        <OfficerProfileFields value={form} onChange={(change) => setForm({ ...form, ...change })} error={error} />
      )}
      <Field label={t('users.password')} name="password" error={error} hint={t('users.passwordHint')}>
        {(p) => (
          <input
            {...p}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        )}
      </Field>
      <Problem error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('users.createSubmit')}
      </button>
    </form>
  );
}

/** An officer's units (one or both, as checkboxes) and background, in the create and the change forms. */
function OfficerProfileFields({
  value,
  onChange,
  error,
  idPrefix = 'f',
}: {
  value: { units: string[]; background: string };
  onChange: (change: { units?: string[]; background?: string }) => void;
  error: unknown;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <fieldset>
        <legend>{t('users.units')}</legend>
        {UNITS.map((unit) => (
          <label key={unit} className="check">
            <input
              type="checkbox"
              value={unit}
              checked={value.units.includes(unit)}
              onChange={() =>
                onChange({ units: value.units.includes(unit) ? value.units.filter((u) => u !== unit) : [...value.units, unit] })
              }
            />
            {t(`unit.${unit}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t('users.background')} name="background" error={error} id={`${idPrefix}-background`}>
        {(p) => (
          <select {...p} value={value.background} onChange={(e) => onChange({ background: e.target.value })}>
            <option value="">{t('users.backgroundUnknown')}</option>
            <CatalogOptions values={BACKGROUNDS} catalog="background" />
          </select>
        )}
      </Field>
    </>
  );
}

/** One user's changes, each sent with If-Match on the user as read when the panel opened. */
function ManageUser({ user, onChanged }: { user: UserView; onChanged: () => void }) {
  const { t } = useTranslation();
  const current = useQuery({ queryKey: ['user', user.id], queryFn: () => call<UserView>(`/users/${user.id}`) });
  const { send, error, busy } = useCommand();
  const [role, setRole] = useState({ role: user.role as string, scopes: user.scopes.join(' '), reason: '' });
  const [reason, setReason] = useState('');
  const [reset, setReset] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [profile, setProfile] = useState({
    units: [...(user.units ?? UNITS)] as string[],
    background: user.background ?? '',
    reason: '',
  });
  if (current.isPending) return <Loading />;
  if (current.isError) return <Problem error={current.error} onRetry={() => void current.refetch()} />;
  const ifMatch = current.data.etag;
  const after = async (written: unknown) => {
    if (!written) return false;
    setSaved(true);
    await current.refetch();
    onChanged();
    return true;
  };
  const changeRole = async (event: FormEvent) => {
    event.preventDefault();
    await after(await send(`/users/${user.id}/role`, { role: role.role, scopes: scopesOf(role.scopes), reason: role.reason }, { ifMatch }));
  };
  const changeProfile = async (event: FormEvent) => {
    event.preventDefault();
    const { units, background, reason: why } = profile;
    const body = { units, ...(background ? { background } : {}), reason: why };
    if (await after(await send(`/users/${user.id}/officer-profile`, body, { ifMatch }))) setProfile({ ...profile, reason: '' });
  };
  const resetPassword = async () => {
    const password = newPassword();
    if (await after(await send(`/users/${user.id}/password`, { password }, { ifMatch }))) setReset(password);
  };
  const toggle = async (event: FormEvent) => {
    event.preventDefault();
    await after(await send(`/users/${user.id}/${current.data.data.status === 'active' ? 'disable' : 'enable'}`, { reason }, { ifMatch }));
    setReason('');
  };
  const id = (name: string) => `f-${name}-${user.id}`;
  return (
    <div className="card manage">
      {saved && !error && (
        <p role="status" className="done">
          {t('case.saved')}
        </p>
      )}
      {reset && <OneTimePassword username={user.username} password={reset} />}
      <Problem error={error} />
      <form onSubmit={changeRole} noValidate className="form" aria-label={t('users.changeRole')}>
        <h3>{t('users.changeRole')}</h3>
        <Field label={t('users.role')} name="role" id={id('role')} error={error}>
          {(p) => <RoleSelect field={p} value={role.role} onChange={(next) => setRole({ ...role, role: next })} />}
        </Field>
        <Field label={t('users.scopes')} name="scopes" id={id('scopes')} error={error}>
          {(p) => <input {...p} autoComplete="off" value={role.scopes} onChange={(e) => setRole({ ...role, scopes: e.target.value })} />}
        </Field>
        <Field label={t('approvals.reason')} name="reason" id={id('role-reason')} error={error}>
          {(p) => <input {...p} autoComplete="off" value={role.reason} onChange={(e) => setRole({ ...role, reason: e.target.value })} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('users.saveRole')}
        </button>
      </form>
      {current.data.data.role === 'officer' && (
        <form onSubmit={changeProfile} noValidate className="form" aria-label={t('users.changeProfile')}>
          <h3>{t('users.changeProfile')}</h3>
          <OfficerProfileFields
            value={profile}
            onChange={(change) => setProfile({ ...profile, ...change })}
            error={error}
            idPrefix={id('profile')}
          />
          <Field label={t('approvals.reason')} name="reason" id={id('profile-reason')} error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="off"
                value={profile.reason}
                onChange={(e) => setProfile({ ...profile, reason: e.target.value })}
              />
            )}
          </Field>
          <button type="submit" disabled={busy}>
            {t('users.saveProfile')}
          </button>
        </form>
      )}
      <h3>{t('users.password')}</h3>
      <button type="button" disabled={busy} onClick={() => void resetPassword()}>
        {t('users.resetPassword')}
      </button>
      <form
        onSubmit={toggle}
        noValidate
        className="form"
        aria-label={t(current.data.data.status === 'active' ? 'users.disable' : 'users.enable')}
      >
        <h3>{t(current.data.data.status === 'active' ? 'users.disable' : 'users.enable')}</h3>
        <Field label={t('approvals.reason')} name="reason" id={id('status-reason')} error={error}>
          {(p) => <input {...p} autoComplete="off" value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t(current.data.data.status === 'active' ? 'users.disable' : 'users.enable')}
        </button>
      </form>
    </div>
  );
}

/** Administrators' users page: who has which role and territory, who is locked out; create and change them. */
export function Users() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: async () => (await call<{ items: UserView[] }>('/users')).data.items });
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['users'] });
  const now = new Date().toISOString();
  return (
    <section>
      <h1>{t('users.title')}</h1>
      <CreateUser onCreated={refresh} />
      <h2>{t('users.all')}</h2>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <Problem error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <ul className="items">
          {users.data.map((u) => (
            <li key={u.id} className={u.status === 'disabled' ? 'item muted-item' : 'item'} data-user={u.username}>
              <strong>{u.username}</strong> <span className="tag">{t(`role.${u.role}`)}</span>{' '}
              {u.status === 'disabled' && <span className="tag">{t('users.disabled')}</span>}
              {u.lockedUntil && u.lockedUntil > now && (
                <strong className="late"> · {t('users.lockedUntil', { date: formatDateTime(u.lockedUntil, i18n.language) })}</strong>
              )}
              <div className="meta">
                {u.scopes.join(', ')} · {u.units && `${u.units.map((unit) => t(`unit.${unit}`)).join(', ')} · `}
                {u.lastLoginAt ? t('users.lastLogin', { date: formatDateTime(u.lastLoginAt, i18n.language) }) : t('users.neverLoggedIn')}
              </div>
              <button type="button" aria-expanded={open === u.id} onClick={() => setOpen(open === u.id ? null : u.id)}>
                {t('users.manage')}
              </button>
              {open === u.id && <ManageUser user={u} onChanged={refresh} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface ProjectionStatus {
  readonly name: string;
  readonly state: string;
  readonly generation: number | null;
  readonly position: string | null;
  readonly handled: number;
  readonly lag?: { events: number; seconds: number };
  readonly rebuild: { generation: number; position: string | null; handled: number } | null;
  readonly failure: { code: string; message: string; eventType: string } | null;
}

/** The read models: each projection's state and lag, and a rebuild with its progress (read again every 2 s while one runs). */
export function ReadModelsPage() {
  const { t } = useTranslation();
  const status = useQuery({
    queryKey: ['projections'],
    queryFn: async () => (await call<{ projections: ProjectionStatus[] }>('/admin/projections')).data.projections,
    refetchInterval: (q) => (q.state.data?.some((p) => p.rebuild) ? 2000 : 10_000),
  });
  const { send, error, busy } = useCommand<{ name: string; generation: number }>();
  return (
    <section>
      <h1>{t('readModels.title')}</h1>
      <Problem error={error} />
      {status.isPending ? (
        <Loading />
      ) : status.isError ? (
        <Problem error={status.error} onRetry={() => void status.refetch()} />
      ) : (
        <ul className="items">
          {status.data.map((p) => (
            <li key={p.name} className={p.failure ? 'item overdue' : 'item'} data-projection={p.name}>
              <strong>{t(`nav.${p.name}`)}</strong>{' '}
              <span className="tag">{t(`readModels.state_${p.state}`, { defaultValue: p.state })}</span>
              <div className="meta">
                {t('readModels.generation', { generation: p.generation ?? '—' })} · {t('readModels.handled', { count: p.handled })}
                {p.lag && ` · ${t('readModels.lag', { events: p.lag.events, seconds: p.lag.seconds })}`}
              </div>
              {p.rebuild && (
                <p role="status">
                  {t('readModels.rebuilding', { generation: p.rebuild.generation, count: p.rebuild.handled })}
                  <progress
                    aria-label={t('readModels.progress')}
                    max={Math.max(p.handled, p.rebuild.handled, 1)}
                    value={p.rebuild.handled}
                  />
                </p>
              )}
              {p.failure && <p className="late">{t('readModels.failed', { type: p.failure.eventType, code: p.failure.code })}</p>}
              <button
                type="button"
                disabled={busy || p.rebuild !== null}
                onClick={async () => {
                  if (await send(`/admin/projections/${p.name}/rebuild`, {})) void status.refetch();
                }}
              >
                {t('readModels.rebuild')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface AccessReport {
  readonly subject: {
    id: string;
    areaCode: string;
    status: 'active' | 'erased';
    personal: Record<string, string>;
    legalHold: { reason: string; legalBasis: string; reference?: string } | null;
    registeredAt: string;
  };
  readonly records: readonly { kind: string; id: string; areaCode: string | null; roles: string[] }[];
  readonly viewedBy: readonly { actorId: string; role: string; kind: string; recordId: string; at: string }[];
  readonly generatedAt: string;
}

/**
 * A data subject's requests, handled by an administrator: the access report (what is held, every
 * processing, who viewed it; providing it is itself recorded), a legal hold and its release, and erasure,
 * confirmed after its consequences are named, and refused under a hold as the API refuses it.
 */
export function SubjectRequests() {
  const { t, i18n } = useTranslation();
  const [id, setId] = useState('');
  const [subject, setSubject] = useState<string | null>(null);
  const [report, setReport] = useState<AccessReport | null>(null);
  // The subject's revision as the report read it: each request is sent with If-Match on it, so a request
  // made by another administrator in between is refused (412) instead of being decided on an older state.
  const [etag, setEtag] = useState<string | null>(null);
  const [hold, setHold] = useState({ reason: '', legalBasis: '', reference: '' });
  const [release, setRelease] = useState('');
  const [erase, setErase] = useState({ reason: '', legalBasis: '', confirmed: false });
  const [done, setDone] = useState<string | null>(null);
  const { send, error, busy, setError } = useCommand();
  const load = async (target: string) => {
    setError(null);
    try {
      const answer = await call<AccessReport>(`/subjects/${target}/report`);
      setReport(answer.data);
      setEtag(answer.etag);
      setSubject(target);
    } catch (caught) {
      setReport(null);
      setError(caught);
    }
  };
  const open = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    await load(id.trim().toLowerCase());
  };
  const act = async (path: string, body: object, message: string) => {
    if (!subject) return;
    if (await send(`/subjects/${subject}/${path}`, body, etag ? { ifMatch: etag } : {})) {
      setDone(message);
      await load(subject);
    }
  };
  const date = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <section>
      <h1>{t('subjects.title')}</h1>
      <form className="form card" onSubmit={open} noValidate aria-labelledby="subject-open">
        <h2 id="subject-open">{t('subjects.open')}</h2>
        <Field label={t('subjects.id')} name="subjectId" error={null} hint={t('subjects.idHint')}>
          {(p) => <input {...p} autoComplete="off" value={id} onChange={(e) => setId(e.target.value)} />}
        </Field>
        <button type="submit" className="primary">
          {t('subjects.report')}
        </button>
      </form>
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
      <Problem error={error} />
      {report && (
        <>
          <h2>{t('subjects.held')}</h2>
          <dl className="facts">
            <dt>{t('subjects.status')}</dt>
            <dd>{t(`subjects.status_${report.subject.status}`)}</dd>
            {Object.entries(report.subject.personal).map(([field, value]) => (
              <Fragment key={field}>
                <dt>{t(`subjects.field_${field}`, { defaultValue: field })}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
            <dt>{t('intake.area')}</dt>
            <dd>{report.subject.areaCode}</dd>
            <dt>{t('subjects.hold')}</dt>
            <dd>
              {report.subject.legalHold
                ? `${report.subject.legalHold.reason} (${report.subject.legalHold.legalBasis})`
                : t('subjects.noHold')}
            </dd>
          </dl>
          <h2>{t('subjects.records')}</h2>
          <ul className="items">
            {report.records.map((r) => (
              <li key={`${r.kind}-${r.id}`} className="item">
                {t(`audit.kind_${r.kind}`, { defaultValue: r.kind })} <span className="ref">{r.id}</span>
                <div className="meta">
                  {r.roles.join(', ')} · {r.areaCode ?? '—'}
                </div>
              </li>
            ))}
          </ul>
          <h2>{t('subjects.viewedBy')}</h2>
          <ul className="items">
            {report.viewedBy.map((v, i) => (
              <li key={i} className="item">
                {v.actorId} ({t(`role.${v.role}`, { defaultValue: v.role })}) · {t(`audit.kind_${v.kind}`, { defaultValue: v.kind })} ·{' '}
                {date(v.at)}
              </li>
            ))}
          </ul>
          {report.subject.status === 'active' &&
            (report.subject.legalHold ? (
              <form
                className="form card"
                noValidate
                aria-labelledby="release-hold"
                onSubmit={(event) => {
                  event.preventDefault();
                  void act('legal-hold/release', { reason: release }, t('subjects.released'));
                }}
              >
                <h2 id="release-hold">{t('subjects.release')}</h2>
                <Field label={t('approvals.reason')} name="reason" id="f-release-reason" error={error}>
                  {(p) => <input {...p} autoComplete="off" value={release} onChange={(e) => setRelease(e.target.value)} />}
                </Field>
                <button type="submit" disabled={busy}>
                  {t('subjects.release')}
                </button>
              </form>
            ) : (
              <form
                className="form card"
                noValidate
                aria-labelledby="place-hold"
                onSubmit={(event) => {
                  event.preventDefault();
                  void act(
                    'legal-hold',
                    { reason: hold.reason, legalBasis: hold.legalBasis, ...(hold.reference ? { reference: hold.reference } : {}) },
                    t('subjects.held_done'),
                  );
                }}
              >
                <h2 id="place-hold">{t('subjects.placeHold')}</h2>
                <Field label={t('approvals.reason')} name="reason" id="f-hold-reason" error={error}>
                  {(p) => (
                    <input {...p} autoComplete="off" value={hold.reason} onChange={(e) => setHold({ ...hold, reason: e.target.value })} />
                  )}
                </Field>
                <Field label={t('subjects.legalBasis')} name="legalBasis" id="f-hold-basis" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      autoComplete="off"
                      value={hold.legalBasis}
                      onChange={(e) => setHold({ ...hold, legalBasis: e.target.value })}
                    />
                  )}
                </Field>
                <Field
                  label={`${t('subjects.reference')} (${t('placement.optional')})`}
                  name="reference"
                  id="f-hold-reference"
                  error={error}
                >
                  {(p) => (
                    <input
                      {...p}
                      autoComplete="off"
                      value={hold.reference}
                      onChange={(e) => setHold({ ...hold, reference: e.target.value })}
                    />
                  )}
                </Field>
                <button type="submit" disabled={busy}>
                  {t('subjects.placeHold')}
                </button>
              </form>
            ))}
          {report.subject.status === 'active' && (
            <form
              className="form card danger"
              noValidate
              aria-labelledby="erase"
              onSubmit={(event) => {
                event.preventDefault();
                void act('erasure', { reason: erase.reason, legalBasis: erase.legalBasis }, t('subjects.erased'));
              }}
            >
              <h2 id="erase">{t('subjects.erase')}</h2>
              <p className="notice">{t('subjects.eraseConsequences', { records: report.records.length })}</p>
              <Field label={t('approvals.reason')} name="reason" id="f-erase-reason" error={error}>
                {(p) => (
                  <input {...p} autoComplete="off" value={erase.reason} onChange={(e) => setErase({ ...erase, reason: e.target.value })} />
                )}
              </Field>
              <Field label={t('subjects.legalBasis')} name="legalBasis" id="f-erase-basis" error={error}>
                {(p) => (
                  <input
                    {...p}
                    autoComplete="off"
                    value={erase.legalBasis}
                    onChange={(e) => setErase({ ...erase, legalBasis: e.target.value })}
                  />
                )}
              </Field>
              <label className="check">
                <input type="checkbox" checked={erase.confirmed} onChange={(e) => setErase({ ...erase, confirmed: e.target.checked })} />{' '}
                {t('subjects.confirmErase')}
              </label>
              <button type="submit" className="primary" disabled={busy || !erase.confirmed}>
                {t('subjects.erase')}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}

interface FormField {
  readonly name: string;
  readonly kind?: 'text' | 'date' | 'select';
  readonly options?: readonly string[];
  readonly catalog?: string;
  readonly optional?: boolean;
}

/**
 * A small command form from a list of fields: labelled inputs, field errors beside them, the refusal
 * explained; values sent as typed (empty optional ones left out); cleared when the command succeeds.
 */
function CommandForm(props: {
  title: string;
  path: string;
  fields: readonly FormField[];
  ifMatch?: string | null;
  idPrefix: string;
  onDone: () => void;
  submit: string;
}) {
  const { t } = useTranslation();
  const initial = () => Object.fromEntries(props.fields.map((f) => [f.name, f.kind === 'select' ? f.options![0]! : '']));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [saved, setSaved] = useState(false);
  const { send, error, busy } = useCommand();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body = Object.fromEntries(props.fields.flatMap((f) => (f.optional && values[f.name] === '' ? [] : [[f.name, values[f.name]]])));
    if (await send(props.path, body, props.ifMatch ? { ifMatch: props.ifMatch } : {})) {
      setValues(initial());
      setSaved(true);
      props.onDone();
    }
  };
  const heading = `${props.idPrefix}-title`;
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby={heading}>
      <h3 id={heading}>{props.title}</h3>
      {props.fields.map((f) => (
        <Field
          key={f.name}
          label={`${t(`reference.${f.name}`)}${f.optional ? ` (${t('placement.optional')})` : ''}`}
          name={f.name}
          id={`${props.idPrefix}-${f.name}`}
          error={error}
        >
          {(p) =>
            f.kind === 'select' ? (
              <select {...p} value={values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
                {f.options!.map((o) => (
                  <option key={o} value={o}>
                    {t(`${f.catalog}.${o}`, { defaultValue: o })}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...p}
                type={f.kind === 'date' ? 'date' : 'text'}
                autoComplete="off"
                value={values[f.name]}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )
          }
        </Field>
      ))}
      {saved && !error && (
        <p role="status" className="done">
          {t('case.saved')}
        </p>
      )}
      <Problem error={error} />
      <button type="submit" disabled={busy}>
        {props.submit}
      </button>
    </form>
  );
}

interface AgencyView {
  readonly id: string;
  readonly name: string;
  readonly licenceNumber: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly revokedOn: string | null;
  readonly licensedToday: boolean;
  readonly recruitmentPermits: readonly { permitNumber: string; destinationCountry: string; validFrom: string; validUntil: string }[];
}

/** One agency's changes, each with If-Match on the agency as read when its panel opened. */
function ManageAgency({ agency, onChanged }: { agency: AgencyView; onChanged: () => void }) {
  const { t } = useTranslation();
  const current = useQuery({ queryKey: ['agency', agency.id], queryFn: () => call<AgencyView>(`/agencies/${agency.id}`) });
  if (current.isPending) return <Loading />;
  if (current.isError) return <Problem error={current.error} onRetry={() => void current.refetch()} />;
  const done = () => {
    void current.refetch();
    onChanged();
  };
  const common = { ifMatch: current.data.etag, onDone: done };
  return (
    <div className="manage">
      <CommandForm
        {...common}
        idPrefix={`renew-${agency.id}`}
        title={t('reference.renew')}
        submit={t('reference.renew')}
        path={`/agencies/${agency.id}/renewal`}
        fields={[{ name: 'licenceNumber' }, { name: 'validUntil', kind: 'date' }]}
      />
      <CommandForm
        {...common}
        idPrefix={`permit-${agency.id}`}
        title={t('reference.addPermit')}
        submit={t('reference.addPermit')}
        path={`/agencies/${agency.id}/recruitment-permits`}
        fields={[
          { name: 'permitNumber' },
          { name: 'destinationCountry' },
          { name: 'validFrom', kind: 'date' },
          { name: 'validUntil', kind: 'date' },
        ]}
      />
      <CommandForm
        {...common}
        idPrefix={`revoke-${agency.id}`}
        title={t('reference.revoke')}
        submit={t('reference.revoke')}
        path={`/agencies/${agency.id}/revocation`}
        fields={[{ name: 'revokedOn', kind: 'date' }, { name: 'reason' }]}
      />
    </div>
  );
}

/** Reference data the placement rules check: recruitment agencies (P3MI) with their licences and permits, and the moratorium list. */
export function ReferenceData() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: async () => (await call<{ items: AgencyView[] }>('/agencies')).data.items });
  const moratoriums = useQuery({
    queryKey: ['moratoriums'],
    queryFn: async () =>
      (await call<{ items: { country: string; sector: string; legalBasis: string; since: string }[] }>('/moratoriums')).data.items,
  });
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['agencies'] });
  const refreshMoratoriums = () => void queries.invalidateQueries({ queryKey: ['moratoriums'] });
  const moratoriumFields: FormField[] = [
    { name: 'country' },
    { name: 'sector', kind: 'select', options: SECTORS, catalog: 'option' },
    { name: 'legalBasis' },
    { name: 'effectiveOn', kind: 'date', optional: true },
  ];
  return (
    <section>
      <h1>{t('reference.title')}</h1>
      <h2>{t('reference.agencies')}</h2>
      <CommandForm
        idPrefix="agency-new"
        title={t('reference.license')}
        submit={t('reference.license')}
        path="/agencies"
        fields={[{ name: 'name' }, { name: 'licenceNumber' }, { name: 'validFrom', kind: 'date' }, { name: 'validUntil', kind: 'date' }]}
        onDone={refresh}
      />
      {agencies.isPending ? (
        <Loading />
      ) : agencies.isError ? (
        <Problem error={agencies.error} onRetry={() => void agencies.refetch()} />
      ) : (
        <ul className="items">
          {agencies.data.map((a) => (
            <li key={a.id} className={a.licensedToday ? 'item' : 'item overdue'} data-agency={a.name}>
              <strong>{a.name}</strong>{' '}
              <span className="tag">
                {t(a.revokedOn ? 'reference.revoked' : a.licensedToday ? 'reference.licensed' : 'reference.notLicensed')}
              </span>
              <div className="meta">
                {a.licenceNumber} · {a.validFrom} – {a.validUntil}
                {a.revokedOn && ` · ${t('reference.revokedOn', { date: a.revokedOn })}`}
              </div>
              {a.recruitmentPermits.length > 0 && (
                <ul>
                  {a.recruitmentPermits.map((p) => (
                    <li key={p.permitNumber}>
                      {p.permitNumber} · {p.destinationCountry} · {p.validFrom} – {p.validUntil}
                    </li>
                  ))}
                </ul>
              )}
              <button type="button" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>
                {t('users.manage')}
              </button>
              {open === a.id && <ManageAgency agency={a} onChanged={refresh} />}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('reference.moratoriums')}</h2>
      {moratoriums.isPending ? (
        <Loading />
      ) : moratoriums.isError ? (
        <Problem error={moratoriums.error} onRetry={() => void moratoriums.refetch()} />
      ) : moratoriums.data.length === 0 ? (
        <p>{t('reference.noMoratorium')}</p>
      ) : (
        <ul className="items">
          {moratoriums.data.map((m) => (
            <li key={`${m.country}-${m.sector}`} className="item" data-moratorium={`${m.country}-${m.sector}`}>
              <strong>{m.country}</strong> · {t(`option.${m.sector}`, { defaultValue: m.sector })}
              <div className="meta">{t('reference.since', { date: m.since, basis: m.legalBasis })}</div>
            </li>
          ))}
        </ul>
      )}
      <CommandForm
        idPrefix="moratorium-new"
        title={t('reference.declare')}
        submit={t('reference.declare')}
        path="/moratoriums"
        fields={moratoriumFields}
        onDone={refreshMoratoriums}
      />
      <CommandForm
        idPrefix="moratorium-lift"
        title={t('reference.lift')}
        submit={t('reference.lift')}
        path="/moratoriums/lifting"
        fields={moratoriumFields}
        onDone={refreshMoratoriums}
      />
    </section>
  );
}
