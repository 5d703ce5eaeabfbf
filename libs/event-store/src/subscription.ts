import type { SharedTail } from './shared-tail';
import type { EventFilter, Position, RecordedEvent, Subscription, SubscriptionBatch } from './types';
import type { Wakeup } from './wakeup';

export interface Page {
  readonly events: readonly RecordedEvent[];
  /** Everything at or below this position has been examined (matched or filtered out) and is final. */
  readonly scannedTo: Position;
  /** Everything visible when the page was read has been scanned: reading again now would find nothing. */
  readonly caughtUp?: boolean;
}

export interface PollingSubscriptionOptions {
  readonly after: Position;
  readonly readPage: (after: Position) => Promise<Page>;
  /**
   * The process's shared reader of the log's tail, when there is one: a follower it covers is served from
   * it (with `filter` and `limit` applied in memory) and waits on its wake-up instead of reading the log.
   */
  readonly tail?: { readonly shared: SharedTail; readonly filter: EventFilter | undefined; readonly limit: number };
  readonly wakeup: Wakeup;
  /** Longest wait between polls with no wake-up. */
  readonly pollIntervalMs: number;
  /** Quick re-reads after a wake-up that found nothing (events behind a transaction still open). Default 4. */
  readonly quickRetries?: number;
  /** Pause after a wake-up before reading, so that one read covers the appends of a busy moment. Default 0. */
  readonly coalesceMs?: number;
}

/**
 * Catch-up subscription over a paged reader: reads pages until it is caught up, then waits for a wake-up
 * (an append in this process, or NOTIFY from another) or the poll interval. After a wake-up that finds
 * nothing new it retries a few times quickly: the new events may still sit behind a transaction that has
 * not finished yet (see the position scheme), and will become visible in milliseconds.
 */
export class PollingSubscription implements Subscription {
  private readonly abort = new AbortController();
  private checkpoint: Position;

  constructor(private readonly options: PollingSubscriptionOptions) {
    this.checkpoint = options.after;
  }

  async close(): Promise<void> {
    this.abort.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    for await (const batch of this.batches()) {
      for (const event of batch.events) {
        if (this.abort.signal.aborted) return;
        yield event;
      }
    }
  }

  async *batches(): AsyncIterable<SubscriptionBatch> {
    const { readPage, wakeup, pollIntervalMs } = this.options;
    const signal = this.abort.signal;
    let quickRetries = 0;
    // While catching up, the next page is read while the consumer handles this one: reading and
    // handling overlap instead of taking turns. Only one page is ever read ahead.
    let ahead: { seen: number; page: Promise<Page> } | undefined;
    const read = (from: Position) => {
      const page = readPage(from);
      page.catch(() => undefined); // awaited below; not an unhandled rejection while it waits
      return { seen: wakeup.generation, page };
    };
    const tail = this.options.tail;
    // After the tail's wake-up timed out (it may be stuck on unavailable storage), one read of our own.
    let readOwn = false;
    while (!signal.aborted) {
      const served = !ahead && tail && !readOwn ? await tail.shared.serve(this.checkpoint, tail.filter, tail.limit) : undefined;
      readOwn = false;
      if (signal.aborted) return;
      if (served) {
        const { page } = served;
        if (page.scannedTo > this.checkpoint) {
          this.checkpoint = page.scannedTo;
          yield { events: page.events, scannedTo: this.checkpoint };
        }
        if (!page.caughtUp && page.events.length > 0) continue; // more kept events after this page
        // Served at this generation of the tail: a newer one means the tail moved.
        if (!(await tail!.shared.wakeup.wait(served.generation, pollIntervalMs, signal))) readOwn = true;
        continue;
      }
      // Note the generation before reading so that a wake-up during the read is not lost.
      const { seen, page: pending } = ahead ?? read(this.checkpoint);
      ahead = undefined;
      const page = await pending;
      if (signal.aborted) return;
      const progressed = page.scannedTo > this.checkpoint;
      if (progressed) this.checkpoint = page.scannedTo;
      // Caught up by itself at a settled position: the process's shared tail can start there.
      if (page.caughtUp) tail?.shared.seed(this.checkpoint);
      // A page that moved the checkpoint, with or without events, means more may follow at once: a
      // filtered reader crossing a long run of events it does not want must not wait a poll per window.
      if (progressed && !page.caughtUp && page.events.length > 0) ahead = read(this.checkpoint);
      if (page.events.length > 0 || progressed) yield { events: page.events, scannedTo: this.checkpoint };
      // Caught up: wait for the next wake-up (noted before this read, so none is lost) instead of reading
      // once more to find nothing; followers read after every append, so this halves their reads.
      if (progressed && !page.caughtUp) {
        quickRetries = 0;
        continue;
      }
      if (quickRetries > 0) {
        quickRetries--;
        await delay(5 * 2 ** (4 - quickRetries), signal);
        continue;
      }
      if (await wakeup.wait(seen, pollIntervalMs, signal)) {
        quickRetries = this.options.quickRetries ?? 4;
        if (this.options.coalesceMs) await delay(this.options.coalesceMs, signal);
      }
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
  });
}
