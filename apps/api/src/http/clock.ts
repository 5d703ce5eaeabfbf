import { Inject, Injectable } from '@nestjs/common';
import type { JejakConfig } from '@jejak/config';
import { CONFIG } from '../tokens';

/** Today's date where the officers are (JEJAK_TIMEZONE, Asia/Jakarta by default), as YYYY-MM-DD. */
@Injectable()
export class Clock {
  private readonly format: Intl.DateTimeFormat;

  constructor(@Inject(CONFIG) config: JejakConfig) {
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  today(now: Date = new Date()): string {
    return this.format.format(now);
  }
}
