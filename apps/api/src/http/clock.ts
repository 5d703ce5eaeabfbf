import type { JejakConfig } from '@jejak/config';
import { type Envelope, envelopeOf, localDay, type RequestContext } from '@jejak/kernel';
import { Inject, Injectable } from '@nestjs/common';

import { CONFIG } from '../tokens';

/** Today's date where the officers are (JEJAK_TIMEZONE, Asia/Jakarta by default), as YYYY-MM-DD. */
@Injectable()
export class Clock {
  private readonly day: (instant: Date) => string;

  private readonly source: () => Date;

  constructor(@Inject(CONFIG) config: JejakConfig) {
    this.day = localDay(config.timeZone);
    this.source = config.clock ?? (() => new Date());
  }

  /** Now, by the deployment's clock (config.clock: tests and drills set it). */
  now(): Date {
    return this.source();
  }

  /** The calendar day of an instant (default now) in the deployment's time zone. */
  today(now: Date = this.now()): string {
    return this.day(now);
  }

  /**
   * The envelope of a request's command: its actor (or `by`, before anyone is signed in), when it happened,
   * and the deployment's day when it arrived. The one place a handler learns who and when.
   */
  envelope(context: RequestContext, by?: string): Envelope {
    return envelopeOf(context, this.day, by);
  }
}
