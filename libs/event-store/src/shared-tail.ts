import { delay, type Page } from './subscription';
import type { EventFilter, Position, RecordedEvent } from './types';
import { Wakeup } from './wakeup';

export interface SharedTailOptions {
  /** An unfiltered page of the settled log after a position (as a follower's own read would see it). */
  readonly readPage: (after: Position, limit: number) => Promise<Page>;
  /** The store's wake-up: signalled by every append here and every NOTIFY from elsewhere. */
  readonly storeWakeup: Wakeup;
  readonly pollIntervalMs: number;
  /** Quick re-reads after a wake-up that found nothing yet (events behind a transaction still open). */
  readonly quickRetries: number;
  /** Pause after a wake-up before reading, so that one read covers the appends of a busy moment. */
  readonly coalesceMs: number;
  /** Events kept for followers; one who falls further behind reads the log itself. Default 5,000. */
  readonly keep?: number;
  /** Events in one read of the tail. Default 1,000. */
  readonly pageSize?: number;
}

export interface ServedPage {
  readonly page: Page;
  /** The tail's wake-up generation when the page was served: wait on `wakeup` for a newer one. */
  readonly generation: number;
}

/**
 * One reader of the log's tail for every follower in the process.
 *
 * An append wakes every follower (each projection, the chainer, the sealer, the process managers), and each
 * used to run its own filtered read of the same few new events: a dozen statements per append. The shared
 * tail reads the new events once, unfiltered, keeps the newest of them in memory, and serves every follower
 * whose position it covers, filtered in memory exactly as the SQL filter would (stream prefix, event type).
 * A follower it does not cover (catching up from far behind, or ahead of it for a moment) reads the log
 * itself, as before.
 *
 * Nothing is missed or delivered twice: the kept events are one gapless run of the settled log, (from, to],
 * read page after page from where the previous page ended; a follower takes only what lies after its own
 * position; and it waits on the tail's own wake-up, which is signalled each time `to` moves, after the
 * read that moved it. The tail reads after every store wake-up (with the same quick re-reads a follower
 * made), so a committed event reaches `to` as it would have reached the follower.
 *
 * The tail starts where the first follower that caught up by itself stands (a settled position), so it
 * needs no query of its own to begin.
 */
export class SharedTail {
  readonly wakeup = new Wakeup();
  private events: RecordedEvent[] = [];
  /** The kept events are exactly the log's events in (from, to]. Undefined until a follower seeds it. */
  private from: Position | undefined;
  private to: Position | undefined;
  private caughtUp = true;
  private reading: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private reads = 0;
  private served = 0;

  constructor(private readonly options: SharedTailOptions) {}

  /** Starts the tail at a settled position a follower reached, unless it already runs. */
  seed(position: Position): void {
    if (this.from !== undefined || this.abort.signal.aborted) return;
    this.from = position;
    this.to = position;
    void this.run();
  }

  /**
   * A page for a follower at `after` from the kept events, or undefined when they do not cover it. A
   * follower just ahead of the tail waits for the read in flight, which usually brings the tail to it.
   */
  async serve(after: Position, filter: EventFilter | undefined, limit: number): Promise<ServedPage | undefined> {
    if (this.to !== undefined && after > this.to && this.reading) await this.reading;
    const from = this.from;
    const to = this.to;
    if (from === undefined || to === undefined || after < from || after > to) return undefined;
    this.served++;
    const generation = this.wakeup.generation;
    const events: RecordedEvent[] = [];
    for (let i = firstAfter(this.events, after); i < this.events.length; i++) {
      const event = this.events[i]!;
      if (!matches(event, filter)) continue;
      if (events.length === limit) return { page: { events, scannedTo: events[events.length - 1]!.position }, generation };
      events.push(event);
    }
    return { page: this.caughtUp ? { events, scannedTo: to, caughtUp: true } : { events, scannedTo: to }, generation };
  }

  /** Reads of the tail made, and follower reads answered from it: what the sharing saves. */
  stats(): { reads: number; served: number } {
    return { reads: this.reads, served: this.served };
  }

  close(): void {
    this.abort.abort();
    this.wakeup.signal();
  }

  private async run(): Promise<void> {
    const { storeWakeup, pollIntervalMs, quickRetries, coalesceMs } = this.options;
    const signal = this.abort.signal;
    let retries = 0;
    let failures = 0;
    while (!signal.aborted) {
      const seen = storeWakeup.generation;
      let progressed = false;
      const read = this.readOnce();
      this.reading = read.then(
        () => undefined,
        () => undefined,
      );
      try {
        progressed = await read;
        failures = 0;
      } catch {
        // Storage unavailable for a moment: followers wait on the poll interval and read for themselves.
        failures++;
        await delay(Math.min(50 * 2 ** failures, pollIntervalMs), signal);
        continue;
      } finally {
        this.reading = undefined;
      }
      if (progressed && !this.caughtUp) {
        retries = 0;
        continue;
      }
      // As a follower did: a few quick re-reads after a wake-up, because the settled bound waits for every
      // transaction older than the append (on PostgreSQL, any in the cluster), and their ends signal nothing.
      if (retries > 0) {
        retries--;
        await delay(5 * 2 ** (quickRetries - retries), signal);
        continue;
      }
      if (await storeWakeup.wait(seen, pollIntervalMs, signal)) {
        retries = quickRetries;
        if (coalesceMs) await delay(coalesceMs, signal);
      }
    }
  }

  /** One page after `to`: keeps its events, moves `to`, wakes the followers. True when `to` moved. */
  private async readOnce(): Promise<boolean> {
    const after = this.to!;
    this.reads++;
    const page = await this.options.readPage(after, this.options.pageSize ?? 1000);
    if (this.to !== after || this.abort.signal.aborted) return false;
    this.caughtUp = page.caughtUp === true;
    if (page.scannedTo <= after) return false;
    this.events.push(...page.events);
    const keep = this.options.keep ?? 5000;
    if (this.events.length > keep) {
      const dropped = this.events.splice(0, this.events.length - keep);
      this.from = dropped[dropped.length - 1]!.position;
    }
    this.to = page.scannedTo;
    this.wakeup.signal();
    return true;
  }
}

/** Index of the first kept event after `position` (events are in position order). */
function firstAfter(events: readonly RecordedEvent[], position: Position): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (events[mid]!.position <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The SQL filter of a page read, in memory: any of the stream prefixes (case-sensitive), any of the types. */
export function matches(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes;
  if (prefixes && prefixes.length > 0 && !prefixes.some((p) => event.streamId.startsWith(p))) return false;
  const types = filter?.eventTypes;
  if (types && types.length > 0 && !types.includes(event.type)) return false;
  return true;
}
