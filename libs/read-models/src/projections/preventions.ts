/** The prevention list: status, source, flags and outcome per record, built with the domain's own evolve. */
import type { JsonValue, RecordedEvent } from '@jejak/event-store';
import { preventionDecider, type PreventionEvent, type PreventionState } from '@jejak/prevention';
import type { DocumentProjection } from '../projection';
import { localDayIn } from '../local-day';

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

export function preventionsProjection(localDay: (iso: string) => string = localDayIn('Asia/Jakarta'), timeZone = 'Asia/Jakarta'): DocumentProjection<PreventionSummary & JsonValue> {
  return {
    name: 'preventions',
    version: 6,
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
      const flags = Object.values(state.flags);
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
        interventions: Object.values(state.interventions).map((i) => i.kind),
        outcome: state.outcome?.outcome ?? null,
        reportedAt: state.reportedAt!,
        revision: document.revision,
        state: document.state,
      };
      return summary as PreventionSummary & JsonValue;
    },
    // All counted in the month the report came in.
    facts: (d) => {
      const area = d.areaCode;
      const day = localDay(d.reportedAt);
      const deferrals = d.interventions.filter((k) => k === 'passport_deferral_requested').length;
      return [
        { area, day, metric: 'preventions.reported' },
        // Confirmed means what verification said, not that some warning sign was confirmed.
        ...((d.state as unknown as PreventionState).confirmedAt !== undefined ? [{ area, day, metric: 'preventions.confirmed' }] : []),
        ...(d.outcome === 'redirected_to_legal_placement' ? [{ area, day, metric: 'preventions.redirected' }] : []),
        ...(d.outcome === 'departed_non_procedurally' ? [{ area, day, metric: 'preventions.departed_anyway' }] : []),
        ...(deferrals > 0 ? [{ area, day, metric: 'preventions.passport_deferrals', n: deferrals }] : []),
      ];
    },
    columns: {
      status: { type: 'text', of: (d) => d.status },
      area: { type: 'text', of: (d) => d.areaCode },
      source: { type: 'text', of: (d) => d.source },
      flags: { type: 'text[]', of: (d) => d.flags },
      outcome: { type: 'text', of: (d) => d.outcome },
      sort_at: { type: 'timestamptz', of: (d) => d.reportedAt },
    },
    indexes: {
      area_sorted: '(area, sort_at desc, id desc)',
      sorted_covering: '(sort_at desc, id desc) include (area, status, source, outcome)',
    },
  };
}
