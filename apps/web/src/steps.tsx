import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, call } from './api';
import { Field, Loading, Problem, useCommand, useDraft } from './components';
import type { Step } from './domain';
import { formatDateTime } from './format';
import { PendingSteps } from './pages/Sync';

export interface RecordedDocument {
  readonly documentId: string;
  readonly kind: string;
  readonly number?: string;
  readonly issuer: string;
}

/**
 * One step's small form, from its spec: only the fields that step needs. What was typed stays on the
 * device until the step is recorded; the step is sent with If-Match on the revision shown, and a 412
 * reloads the record and says so, keeping the input.
 */
export function StepForm(props: {
  record: string;
  revision: number;
  queryKey: readonly unknown[];
  step: Step;
  documents?: readonly RecordedDocument[];
  onDone: () => void;
}) {
  const { record, revision, queryKey, step, documents = [], onDone } = props;
  const { t } = useTranslation();
  const queries = useQueryClient();
  const initial = (f: Step['fields'][number]) =>
    f.kind === 'checkbox' ? 'false' : f.kind === 'checkboxes' ? '[]' : f.kind === 'select' ? (f.optional ? '' : f.options![0]!) : '';
  const [draft, change, clear] = useDraft(
    `${record}-${step.key}`,
    Object.fromEntries(step.fields.map((f) => [f.name, initial(f)])) as Record<string, string>,
  );
  const { send, error, busy, setError } = useCommand();
  // Opened by a tap or a key, the form takes the focus: a keyboard or screen-reader user lands in it.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, []);
  useEffect(() => {
    if (error instanceof ApiError && error.status === 412) void queries.invalidateQueries({ queryKey });
  }, [error, queries, queryKey]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    for (const f of step.fields) {
      const value = draft[f.name] ?? '';
      if (f.kind === 'checkbox') {
        if (value === 'true') body[f.name] = true;
      } else if (f.kind === 'checkboxes') {
        const chosen = JSON.parse(value || '[]') as string[];
        if (chosen.length > 0 || !f.optional) body[f.name] = chosen;
      } else if (f.kind === 'rupiah') {
        // Digits only: "1.500.000" and "1,500,000" are both one and a half million rupiah; anything else goes as typed, for the API to refuse.
        const digits = value.replace(/[.,\s]/g, '');
        if (value !== '' || !f.optional) body[f.name] = /^\d+$/.test(digits) ? Number(digits) : value;
      } else if (value !== '' || !f.optional) body[f.name] = value;
    }
    const path = step.path.startsWith('/') ? step.path : `${record}/${step.path}`;
    const written = await send(path, body, { ifMatch: `"${revision}"` });
    if (written) {
      clear();
      setError(null);
      await queries.invalidateQueries({ queryKey });
      onDone();
    }
  };
  const stale = error instanceof ApiError && error.status === 412;
  return (
    <form ref={form} onSubmit={submit} noValidate className="form card" aria-labelledby={`step-${step.key}`}>
      <h3 id={`step-${step.key}`}>{step.label ?? t(`step.${step.key}`)}</h3>
      {step.fields.map((f) =>
        f.kind === 'checkboxes' ? (
          <fieldset key={f.name}>
            <legend>{t(`stepField.${f.name}`)}</legend>
            <div className="choices">
              {f.options!.map((o) => {
                const chosen = JSON.parse(draft[f.name] || '[]') as string[];
                return (
                  <label key={o} className="check">
                    <input
                      type="checkbox"
                      value={o}
                      checked={chosen.includes(o)}
                      onChange={() =>
                        change({ [f.name]: JSON.stringify(chosen.includes(o) ? chosen.filter((c) => c !== o) : [...chosen, o]) })
                      }
                    />
                    {t(`${f.catalog ?? 'option'}.${o}`, { defaultValue: o })}
                  </label>
                );
              })}
            </div>
          </fieldset>
        ) : (
          <Field
            key={f.name}
            label={`${t(`stepField.${f.name}`)}${f.optional ? ` (${t('placement.optional')})` : ''}`}
            name={f.name}
            error={error}
          >
            {(p) =>
              f.kind === 'select' ? (
                <select {...p} value={draft[f.name]} onChange={(e) => change({ [f.name]: e.target.value })}>
                  {f.optional && <option value="">—</option>}
                  {f.options!.map((o) => (
                    <option key={o} value={o}>
                      {t(`${f.catalog ?? 'option'}.${o}`, { defaultValue: o })}
                    </option>
                  ))}
                </select>
              ) : f.kind === 'document' ? (
                <select {...p} value={draft[f.name]} onChange={(e) => change({ [f.name]: e.target.value })}>
                  <option value="">—</option>
                  {documents
                    .filter((d) => d.kind === f.documentKind)
                    .map((d) => (
                      <option key={d.documentId} value={d.documentId}>
                        {t(`docKind.${d.kind}`)} {d.number ?? ''} ({d.issuer})
                      </option>
                    ))}
                </select>
              ) : f.kind === 'fileHash' ? (
                <input
                  {...p}
                  type="file"
                  onChange={async (e) => {
                    const file = e.target.files?.[0];
                    if (!file) return change({ [f.name]: '' });
                    // Hashed here; the file itself never leaves the device.
                    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
                    change({ [f.name]: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
                  }}
                />
              ) : f.kind === 'rupiah' ? (
                <input
                  {...p}
                  inputMode="numeric"
                  autoComplete="off"
                  value={draft[f.name]}
                  onChange={(e) => change({ [f.name]: e.target.value })}
                />
              ) : f.kind === 'checkbox' ? (
                <input
                  {...p}
                  type="checkbox"
                  className="box"
                  checked={draft[f.name] === 'true'}
                  onChange={(e) => change({ [f.name]: String(e.target.checked) })}
                />
              ) : (
                <input
                  {...p}
                  type={f.kind === 'date' ? 'date' : 'text'}
                  autoComplete="off"
                  value={draft[f.name]}
                  onChange={(e) => change({ [f.name]: e.target.value })}
                />
              )
            }
          </Field>
        ),
      )}
      {step.fields.some((f) => f.kind === 'fileHash' && draft[f.name]) && (
        <p className="muted">
          SHA-256:{' '}
          {step.fields
            .filter((f) => f.kind === 'fileHash')
            .map((f) => draft[f.name])
            .join(' ')}
        </p>
      )}
      {stale && (
        <p className="notice" role="status">
          {t('case.changed')}
        </p>
      )}
      <Problem error={stale ? null : error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('case.save')}
      </button>
    </form>
  );
}

/** What can be done next on a record: a button per step, and the one chosen opens as its small form. */
export function NextSteps(props: {
  steps: readonly Step[];
  record: string;
  revision: number;
  queryKey: readonly unknown[];
  documents?: readonly RecordedDocument[];
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const step = props.steps.find((s) => s.key === open);
  if (props.steps.length === 0) return <PendingSteps record={props.record} />;
  return (
    <>
      <PendingSteps record={props.record} />
      <h2>{t('placement.next')}</h2>
      <div className="steps">
        {props.steps.map((s) => (
          <button key={s.key} type="button" aria-expanded={open === s.key} onClick={() => setOpen(open === s.key ? null : s.key)}>
            {s.label ?? t(`step.${s.key}`)}
          </button>
        ))}
      </div>
      {step && (
        <StepForm
          key={step.key}
          record={props.record}
          revision={props.revision}
          queryKey={props.queryKey}
          step={step}
          {...(props.documents ? { documents: props.documents } : {})}
          onDone={() => setOpen(null)}
        />
      )}
    </>
  );
}

interface HistoryEntry {
  readonly type: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly metadata: { actorId?: string; occurredAt?: string };
  /** The writer's login name; null for a process manager or an unknown id. */
  readonly actorName?: string | null;
}

/** A record's trace: each event, when it happened, who did it, and when it was recorded when that differs. */
export function Timeline({ record, queryKey }: { record: string; queryKey: readonly unknown[] }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: [...queryKey, 'history'],
    queryFn: async () => (await call<{ items: HistoryEntry[] }>(`${record}/history`)).data.items,
  });
  return (
    <>
      <h2>{t('case.timeline')}</h2>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <Problem error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <ol className="timeline">
          {history.data.map((e) => (
            <li key={e.revision}>
              <strong>{t(`event.${e.type}`, { defaultValue: e.type })}</strong>
              <div className="meta">
                {formatDateTime(e.metadata.occurredAt ?? e.recordedAt, i18n.language)} ·{' '}
                {t('case.by', {
                  actor:
                    e.actorName ?? (e.metadata.actorId?.startsWith('process-manager:') ? t('case.system') : (e.metadata.actorId ?? '?')),
                })}
                {e.metadata.occurredAt && e.metadata.occurredAt !== e.recordedAt && (
                  <span className="muted"> · {t('case.recorded', { date: formatDateTime(e.recordedAt, i18n.language) })}</span>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
