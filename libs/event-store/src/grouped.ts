import { randomUUID } from 'node:crypto';

import type { AppendResult, EventStore, NewEvent, StreamAppend } from './types';

/**
 * Group commit for appends that cannot conflict (`expectedRevision: 'any'`), such as access-log entries:
 * while one transaction is in flight, the appends that arrive wait, and the next transaction carries all
 * of them (`appendMany`, all or nothing). A caller's promise settles only when its own events are
 * committed, so "written before answering" holds; a lone caller waits for nothing (no timer, no added
 * latency). Sixteen readers at once cost one or two transactions instead of sixteen.
 *
 * A group that fails is tried again part by part, in arrival order, so that one refused append (a stream name too long,
 * say) refuses only its own caller. Every event gets its id here, before the first try: a group whose
 * commit succeeded but whose answer was lost is then recognised as a repeat, never written twice. KurrentDB has no multi-stream transaction: there each append goes alone.
 */
export class AppendGroup {
  private waiting: { part: StreamAppend; resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[] = [];
  private flying = false;

  constructor(
    private readonly store: EventStore,
    private readonly maxEvents = 200,
  ) {}

  append(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    if (this.store.adapter === 'kurrentdb') return this.store.append(streamId, events, { expectedRevision: 'any' });
    const identified = events.map((e) => (e.id ? e : { ...e, id: randomUUID() }));
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ part: { streamId, events: identified, expectedRevision: 'any' }, resolve, reject });
      if (!this.flying) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flying = true;
    try {
      while (this.waiting.length > 0) {
        // As many waiting parts as fit in one append's event limit (a part alone always goes).
        let events = 0;
        let count = 0;
        while (count < this.waiting.length && (count === 0 || events + this.waiting[count]!.part.events.length <= this.maxEvents)) {
          events += this.waiting[count]!.part.events.length;
          count++;
        }
        const group = this.waiting.splice(0, count);
        try {
          const results = await this.store.appendMany(group.map((g) => g.part));
          group.forEach((g, i) => g.resolve(results[i]!));
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else
            // One after another, in the order they came: two parts for one stream keep their order.
            for (const g of group)
              await this.store.append(g.part.streamId, g.part.events, { expectedRevision: 'any' }).then(g.resolve, g.reject);
        }
      }
    } finally {
      this.flying = false;
    }
  }
}

const groups = new WeakMap<EventStore, AppendGroup>();

/** The process's one group for a store: every caller that shares it shares its transactions. */
export function appendGroup(store: EventStore): AppendGroup {
  let group = groups.get(store);
  if (!group) groups.set(store, (group = new AppendGroup(store)));
  return group;
}
