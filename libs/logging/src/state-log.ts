import type { Logger } from 'pino';

/** What a long-running component reports about itself (projections, process managers, the chainer). */
export interface ComponentState {
  readonly name: string;
  readonly state: string;
  readonly position: string | null;
  /** How far it has scanned the log (at least `position`): caught up when this reaches the head. */
  readonly scanned?: string | null;
  /** Where it stopped: the event's type and position and the error's code (never its message, which may quote data). */
  readonly failure?: { readonly eventType: string; readonly position: string; readonly code: string } | null;
}

const MESSAGES: Record<string, string> = {
  running: 'started',
  standby: 'on standby: another process holds the lease',
  rebuilding: 'rebuilding a new generation beside the live one',
  stopped: 'stopped',
};

/**
 * Logs the state changes of a process's components, one line each: started, took over the lease, on
 * standby, caught up (once per time it runs), failed on event X, stopped. It looks every `everyMs`; a change
 * and its reversal within one look are not seen (the status endpoints still are the record of the moment).
 */
export class StateLog {
  private readonly last = new Map<string, { state: string; caughtUp: boolean; failure: string | null }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly sources: () => readonly ComponentState[],
    private readonly head: () => Promise<bigint | null>,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.tick();
  }

  /** One look: logs what changed since the last. */
  tick(): Promise<void> {
    this.ticking ??= this.look().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async look(): Promise<void> {
    let head: bigint | null | undefined;
    try {
      head = await this.head();
    } catch {
      head = undefined; // the store is not answering: caught-up waits for the next look
    }
    for (const s of this.sources()) {
      const before = this.last.get(s.name);
      const failure = s.failure ? `${s.failure.eventType}@${s.failure.position}:${s.failure.code}` : null;
      const fields = { component: s.name, state: s.state, position: s.position };
      if (s.state === 'failed') {
        if (before?.failure !== failure)
          this.logger.error(
            { ...fields, eventType: s.failure?.eventType, eventPosition: s.failure?.position, code: s.failure?.code },
            'failed on an event',
          );
      } else if (before?.state !== s.state) {
        const tookOver = before?.state === 'standby' && s.state === 'running';
        if (before !== undefined || s.state !== 'stopped')
          this.logger.info(
            { ...fields, ...(before ? { previous: before.state } : {}) },
            tookOver ? 'took over the lease' : (MESSAGES[s.state] ?? s.state),
          );
      }
      const running = s.state === 'running' || s.state === 'rebuilding';
      const scanned = s.scanned ?? s.position;
      const atHead = head !== undefined && running && (head === null || (scanned !== null && BigInt(scanned) >= head));
      const caughtUp = running && ((before?.state === s.state && before.caughtUp) || atHead);
      if (caughtUp && !(before?.caughtUp && before.state === s.state)) this.logger.info(fields, 'caught up');
      this.last.set(s.name, { state: s.state, caughtUp, failure });
    }
  }
}
