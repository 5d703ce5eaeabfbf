/** The placement list: status, stage and milestones per placement, built with the domain's own evolve. */
import type { JsonValue, RecordedEvent } from '@jejak/event-store';
import { placementDecider, type PlacementEvent, type PlacementState, type PlacementStatus, stageOf } from '@jejak/placement';

import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

const PLACEMENT_OPEN: PlacementStatus = 'open';
/**
 * A placement the worklist shows (an open one), in SQL: the worklist's filter and its indexes' predicate, the
 * same text, so that an area's open placements are read oldest first without passing the finished ones.
 */
export const PLACEMENT_OPEN_SQL = `status = '${PLACEMENT_OPEN}'`;

export interface PlacementSummary {
  readonly id: string;
  readonly status: string;
  readonly stage: string;
  readonly areaCode: string;
  readonly subjectId: string;
  readonly registeredOn: string;
  /** When the registration happened (its occurredAt when entered later), what the list is sorted by. */
  readonly registeredAt: string;
  readonly destinationCountry: string | null;
  readonly sector: string | null;
  readonly scheme: string | null;
  readonly milestones: Readonly<Record<string, string>>;
  readonly revision: string;
  /** The folded state, sealed document numbers still sealed. */
  readonly state: JsonValue;
}

/** The documents' sealed numbers stay out: the list needs kinds and dates only. */
const withoutSealed = (state: PlacementState): PlacementState => ({
  ...state,
  documents: Object.fromEntries(Object.entries(state.documents).map(([id, d]) => [id, { ...d, sealed: {} }])),
});

export function placementsProjection(): DocumentProjection<PlacementSummary & JsonValue> {
  return {
    name: 'placements',
    version: 9,
    filter: { streamPrefixes: ['placement-'] },
    keyOf: (event: RecordedEvent) => event.streamId.slice('placement-'.length),
    evolve: (document, event) => {
      const previous = (document?.state as unknown as PlacementState | undefined) ?? placementDecider.initialState;
      const state = placementDecider.evolve(previous, { type: event.type, data: event.data } as PlacementEvent);
      if (state.status === 'none') return null;
      // When the registration happened (a paper record entered later says so in occurredAt), as cases and
      // preventions are sorted by when things happened: one rule for every list.
      const happened = typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString();
      const registeredAt = (document as PlacementSummary | null)?.registeredAt ?? happened;
      return { state, registeredAt, revision: event.revision.toString() } as unknown as PlacementSummary & JsonValue;
    },
    finish: (document) => {
      const state = withoutSealed(document.state as unknown as PlacementState);
      const summary: PlacementSummary = {
        id: state.placementId!,
        status: state.status,
        stage: stageOf(state),
        areaCode: state.areaCode!,
        subjectId: state.subjectId!,
        registeredOn: state.registeredOn!,
        registeredAt: document.registeredAt,
        destinationCountry: state.jobOrder?.destinationCountry ?? null,
        sector: state.jobOrder?.sector ?? null,
        scheme: state.jobOrder?.scheme ?? null,
        milestones: state.milestones as Record<string, string>,
        revision: document.revision,
        state: document.state,
      };
      return summary as PlacementSummary & JsonValue;
    },
    // Counted on the dates the officer recorded (registration, departure), which are local days already.
    facts: (d): ProgramFact[] => [
      { area: d.areaCode, day: d.registeredOn, metric: 'placements.registered', key: d.stage },
      ...(d.milestones.departed ? [{ area: d.areaCode, day: d.milestones.departed, metric: 'placements.departed' as const }] : []),
    ],
    columns: {
      status: { type: 'text', of: (d) => d.status },
      stage: { type: 'text', of: (d) => d.stage },
      area: { type: 'text', of: (d) => d.areaCode },
      sort_at: { type: 'timestamptz', of: (d) => d.registeredAt },
      // The day the registration counts on in the figures: what a drill-down link filters by.
      registered_on: { type: 'text', of: (d) => d.registeredOn },
      // The worker: a person's page lists their placements by it.
      subjects: { type: 'text[]', of: (d) => subjectIds(d.subjectId) },
    },
    indexes: {
      area_sorted: '(area, sort_at desc, id desc)',
      sorted_covering: '(sort_at desc, id desc) include (area, status, stage)',
      // The worklist: open placements, oldest first, in a village and in a region.
      work_area: `(area, sort_at, id) where ${PLACEMENT_OPEN_SQL}`,
      work_sorted: `(sort_at, id) include (area) where ${PLACEMENT_OPEN_SQL}`,
    },
  };
}
