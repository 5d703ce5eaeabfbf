import type { JejakConfig } from '@jejak/config';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

import { CONFIG } from '../tokens';
import { Clock } from './clock';
import { isDateOrInstant } from './dates';
import { ValidationFailed } from './problem';
import type { JejakRequest } from './request';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Clock skew allowed between an officer's device and the server. */
const SKEW_MS = 5 * 60_000;

/**
 * `X-Occurred-At: <ISO 8601 instant>` on a command says when it really happened, for records kept on paper
 * and entered later (village offices often work offline). Case and prevention times, and placement dates,
 * then come from it; the event still records when it was written, and its metadata says it was backdated,
 * so an auditor sees both. Never in the future, never older than JEJAK_MAX_BACKDATE_DAYS.
 */
@Injectable()
export class OccurredAtInterceptor implements NestInterceptor {
  constructor(
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<JejakRequest>();
    request.now = this.clock.now();
    const sent = request.header('x-occurred-at');
    if (sent !== undefined) {
      // The pattern and a real day, hour and offset: 2026-02-30 must not become 2 March.
      const at = ISO.test(sent.trim()) && isDateOrInstant(sent.trim()) ? new Date(sent.trim()) : new Date(NaN);
      const now = request.now.getTime();
      const oldest = now - this.config.maxBackdateDays * 86_400_000;
      const problem = Number.isNaN(at.getTime())
        ? 'must be an ISO 8601 instant with a time zone, like 2026-03-01T09:30:00+07:00'
        : at.getTime() > now + SKEW_MS
          ? 'must not be in the future'
          : at.getTime() < oldest
            ? `must not be more than ${this.config.maxBackdateDays} days ago`
            : undefined;
      if (problem) throw new ValidationFailed([{ field: 'X-Occurred-At', message: problem }]);
      request.occurredAt = at;
    }
    return next.handle();
  }
}
