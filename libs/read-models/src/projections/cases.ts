/**
 * The case list: one document per case with what lists, worklists and indicators filter on. Built with
 * the case's own domain `evolve`, so the list can never disagree with the case about its state; sealed
 * text is left out (the list shows no free text).
 */
import { caseDecider, deadlinesAt, DEFAULT_DEADLINES, type CaseEvent, type CaseState, type DeadlinePolicy } from '@jejak/accompaniment';
import type { JsonValue, RecordedEvent } from '@jejak/event-store';
import type { DocumentProjection } from '../projection';

export interface CaseSummary {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly channel: string;
  readonly categories: readonly string[];
  readonly urgency: string | null;
  readonly procedural: string | null;
  readonly destinationCountry: string;
  readonly assignedTo: string | null;
  readonly openedAt: string;
  readonly firstActionAt: string | null;
  readonly firstActionDue: string;
  readonly resolutionDue: string;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly outcome: string | null;
  readonly amountRecovered: number | null;
  readonly reopenings: number;
  /** The folded state, without sealed values: what the next event evolves. */
  readonly state: JsonValue;
}

const withoutSealed = (state: CaseState): CaseState => {
  const { sealed: _sealed, resolution, ...rest } = state;
  return { ...rest, sealed: {}, ...(resolution ? { resolution: { ...resolution, sealed: {} } } : {}) } as CaseState;
};

export function casesProjection(deadlines: DeadlinePolicy = DEFAULT_DEADLINES): DocumentProjection<CaseSummary & JsonValue> {
  return {
    name: 'cases',
    version: 1,
    filter: { streamPrefixes: ['case-'] },
    keyOf: (event: RecordedEvent) => event.streamId.slice('case-'.length),
    evolve: (document, event) => {
      const previous = (document?.state as unknown as CaseState | undefined) ?? caseDecider.initialState;
      const state = withoutSealed(caseDecider.evolve(previous, { type: event.type, data: event.data } as CaseEvent));
      if (state.status === 'none') return null;
      const due = deadlinesAt(state, new Date(0), deadlines)!;
      const summary: CaseSummary = {
        id: state.caseId!,
        status: state.status,
        areaCode: state.areaCode!,
        channel: state.channel!,
        categories: state.categories,
        urgency: state.urgency ?? null,
        procedural: state.procedural ?? null,
        destinationCountry: state.destinationCountry!,
        assignedTo: state.assignedTo ?? null,
        openedAt: state.openedAt!,
        firstActionAt: state.firstActionAt ?? null,
        firstActionDue: due.firstAction.due,
        resolutionDue: due.resolution.due,
        resolvedAt: state.resolution?.resolvedAt ?? null,
        closedAt: state.closedAt ?? null,
        outcome: state.resolution?.outcome ?? null,
        amountRecovered: state.resolution?.amountRecovered ?? null,
        reopenings: state.reopenings,
        state: state as unknown as JsonValue,
      };
      return summary as CaseSummary & JsonValue;
    },
    columns: {
      status: { type: 'text', of: (d) => d.status },
      area: { type: 'text', of: (d) => d.areaCode },
      categories: { type: 'text[]', of: (d) => d.categories },
      urgency: { type: 'text', of: (d) => d.urgency },
      assigned_to: { type: 'text', of: (d) => d.assignedTo },
      opened_at: { type: 'timestamptz', of: (d) => d.openedAt },
      first_action_at: { type: 'timestamptz', of: (d) => d.firstActionAt },
      first_action_due: { type: 'timestamptz', of: (d) => d.firstActionDue },
      resolution_due: { type: 'timestamptz', of: (d) => d.resolutionDue },
      resolved_at: { type: 'timestamptz', of: (d) => d.resolvedAt },
    },
  };
}
