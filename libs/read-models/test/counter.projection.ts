import type { JsonValue, RecordedEvent } from '@jejak/event-store';

import type { DocumentProjection } from '../src/projection';

export type Counter = { count: number; sum: number; last: number };

/** A projection simple enough to compute independently: per stream, how many events and their sum. */
export function counterProjection(
  name: string,
  version = 1,
  onEvent?: (event: RecordedEvent) => void,
): DocumentProjection<Counter & JsonValue> {
  return {
    name,
    version,
    filter: { streamPrefixes: [`${name}-`] },
    keyOf: (event) => event.streamId,
    evolve: (doc, event) => {
      onEvent?.(event);
      const n = (event.data as { n: number }).n;
      const previous = doc ?? { count: 0, sum: 0, last: -1 };
      return { count: previous.count + 1, sum: previous.sum + n, last: n };
    },
    columns: { count: { type: 'bigint', of: (d) => d.count } },
    indexes: { count_desc: '(count desc, id)' },
    facts: (d) => counterFacts(d),
  };
}

/** Sums kept per stream: its event count on the day its last value names, so that days move and rows empty. */
const counterFacts = (d: Counter, stream?: string): { area: string; day: string; metric: string; key: string; n: number }[] => [
  {
    area: stream ?? '',
    day: `2026-0${1 + (d.last % 3)}-${String(1 + (d.last % 28)).padStart(2, '0')}`,
    metric: 'counter.events',
    key: '',
    n: d.count,
  },
];

/** The daily sums computed straight from the events: what the engine's facts tables must hold. */
export function foldFacts(events: readonly RecordedEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, doc] of Object.entries(fold(events))) {
    for (const f of counterFacts(doc)) out[`${f.metric}|${f.day}`] = (out[`${f.metric}|${f.day}`] ?? 0) + f.n;
  }
  return out;
}

/** The same documents computed straight from the events: what any rebuild must produce. */
export function fold(events: readonly RecordedEvent[]): Record<string, Counter> {
  const out: Record<string, Counter> = {};
  for (const event of events) {
    const n = (event.data as { n: number }).n;
    const previous = out[event.streamId] ?? { count: 0, sum: 0, last: -1 };
    out[event.streamId] = { count: previous.count + 1, sum: previous.sum + n, last: n };
  }
  return out;
}
