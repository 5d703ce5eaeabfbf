/** The prevention list: status, source, flags and outcome per record, built with the domain's own evolve. */
import type { JsonValue, RecordedEvent } from '@jejak/event-store';
import { preventionDecider, type PreventionEvent, type PreventionState, type PreventionStatus } from '@jejak/prevention';

import { localDayIn } from '../local-day';
import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

const PREVENTION_OPEN: readonly PreventionStatus[] = ['reported', 'confirmed', 'outcome_recorded'];
/**
 * A record the worklist shows (neither dismissed nor closed), in SQL: the worklist's filter and its indexes'
 * predicate, the same text, so that an area's open records are read oldest first without passing the rest.
 */
export const PREVENTION_OPEN_SQL = `status in (${PREVENTION_OPEN.map((s) => `'${s}'`).join(', ')})`;

export interface PreventionSummary {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly source: string;
  readonly destinationCountry: string | null;
  readonly route: string | null;
  readonly flags: readonly string[];
  readonly confirmedFlags: readonly string[];
  readonly interventions: readonly string[];
  readonly outcome: string | null;
  readonly reportedAt: string;
  readonly revision: string;
  /** The folded state, sealed values still sealed. */
  readonly state: JsonValue;
}

export function preventionsProjection(
  localDay: (iso: string) => string = localDayIn('Asia/Jakarta'),
  timeZone = 'Asia/Jakarta',
): DocumentProjection<PreventionSummary & JsonValue> {
  return {
    name: 'preventions',
    version: 11,
    settings: JSON.stringify({ timeZone }),
    filter: { streamPrefixes: ['prevention-'] },
    keyOf: (event: RecordedEvent) => event.streamId.slice('prevention-'.length),
    evolve: (document, event) => {
      const previous = (document?.state as unknown as PreventionState | undefined) ?? preventionDecider.initialState;
      const state = preventionDecider.evolve(previous, { type: event.type, data: event.data } as PreventionEvent);
      if (state.status === 'none') return null;
      return { state, revision: event.revision.toString() } as unknown as PreventionSummary & JsonValue;
    },
    finish: (document) => {
      const state = { ...(document.state as unknown as PreventionState), sealed: {} };
      // In the order they were raised (then by id): a stored document's maps come back from jsonb with their
      // keys sorted, so an order taken from the map would depend on where the batches fell.
      const byRaise = (a: { at: string; flagId: string }, b: { at: string; flagId: string }) =>
        a.at.localeCompare(b.at) || a.flagId.localeCompare(b.flagId);
      const flags = Object.values(state.flags).sort(byRaise);
      const summary: PreventionSummary = {
        id: state.preventionId!,
        status: state.status,
        areaCode: state.areaCode!,
        source: state.source!,
        destinationCountry: state.destinationCountry,
        // Sealed free text (routes recorded from now on) is shown on the record, not in lists.
        route: state.route !== null && state.route.startsWith('pd1:') ? null : state.route,
        flags: [...new Set(flags.map((f) => f.flag))],
        confirmedFlags: [...new Set(flags.filter((f) => f.status === 'confirmed').map((f) => f.flag))],
        interventions: Object.values(state.interventions)
          .sort((a, b) => a.on.localeCompare(b.on) || a.interventionId.localeCompare(b.interventionId))
          .map((i) => i.kind),
        outcome: state.outcome?.outcome ?? null,
        reportedAt: state.reportedAt!,
        revision: document.revision,
        state: document.state,
      };
      return summary as PreventionSummary & JsonValue;
    },
    facts: (d) => {
      const area = d.areaCode;
      const state = d.state as unknown as PreventionState;
      const facts: ProgramFact[] = [{ area, day: localDay(d.reportedAt), metric: 'preventions.reported' }];
      // Each in the month it happened, so a finished month's report never changes: confirmed means what
      // verification said (not that some warning sign was confirmed), on the day it said it.
      if (state.confirmedAt !== undefined) facts.push({ area, day: localDay(state.confirmedAt), metric: 'preventions.confirmed' });
      if (state.outcome?.outcome === 'redirected_to_legal_placement')
        facts.push({ area, day: localDay(state.outcome.at), metric: 'preventions.redirected' });
      if (state.outcome?.outcome === 'departed_non_procedurally')
        facts.push({ area, day: localDay(state.outcome.at), metric: 'preventions.departed_anyway' });
      const deferrals = new Map<string, number>();
      for (const i of Object.values(state.interventions ?? {})) {
        if (i.kind === 'passport_deferral_requested') deferrals.set(i.on, (deferrals.get(i.on) ?? 0) + 1);
      }
      for (const [day, n] of [...deferrals].sort())
        facts.push({ area, day, metric: 'preventions.passport_deferrals', ...(n > 1 ? { n } : {}) });
      // Every intervention by its kind, on the day it was made (village regulations among them).
      for (const i of Object.values(state.interventions ?? {}))
        facts.push({ area, day: i.on, metric: 'preventions.intervention', key: i.kind });
      return facts;
    },
    columns: {
      status: { type: 'text', of: (d) => d.status },
      area: { type: 'text', of: (d) => d.areaCode },
      source: { type: 'text', of: (d) => d.source },
      flags: { type: 'text[]', of: (d) => d.flags },
      outcome: { type: 'text', of: (d) => d.outcome },
      sort_at: { type: 'timestamptz', of: (d) => d.reportedAt },
      // The person at risk and the recruiter, when known: a person's page lists their reports by it.
      subjects: {
        type: 'text[]',
        of: (d) =>
          subjectIds((d.state as unknown as PreventionState).personSubjectId, (d.state as unknown as PreventionState).recruiterSubjectId),
      },
    },
    indexes: {
      area_sorted: '(area, sort_at desc, id desc)',
      sorted_covering: '(sort_at desc, id desc) include (area, status, source, outcome)',
      // The worklist: open records, oldest first, in a village and in a region.
      work_area: `(area, sort_at, id) where ${PREVENTION_OPEN_SQL}`,
      work_sorted: `(sort_at, id) include (area) where ${PREVENTION_OPEN_SQL}`,
    },
  };
}
