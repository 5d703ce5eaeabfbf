import { caseStream } from '@jejak/accompaniment';
import { communityStream } from '@jejak/community';
import { businessStream, consultationStream, groupStream, kurStream } from '@jejak/enterprise';
import { collectIfAny, type EventStore } from '@jejak/event-store';
import { enquiryStream, sessionStream } from '@jejak/information';
import { subjectStream } from '@jejak/personal-data';
import { placementStream } from '@jejak/placement';
import { preventionStream } from '@jejak/prevention';
import { Inject, Injectable } from '@nestjs/common';

import type { JejakRequest } from '../http/request';
import { EVENT_STORE } from '../tokens';
import type { ScopeRule } from './rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STREAM_OF = {
  subject: subjectStream,
  placement: placementStream,
  case: caseStream,
  prevention: preventionStream,
  community: communityStream,
  session: sessionStream,
  enquiry: enquiryStream,
  business: businessStream,
  group: groupStream,
  consultation: consultationStream,
  kur: kurStream,
} as const;
/** Streams whose area this process remembers (a few hundred bytes each). */
const REMEMBERED = 50_000;

/**
 * Finds the administrative code a request is about, for the scope check. A record's area is written by the
 * event that opens it and never changes, so the lookup reads that first event alone (not the stream) and
 * remembers the answer: the command itself then reads its stream once, through the one command path.
 */
@Injectable()
export class AreaResolver {
  private readonly known = new Map<string, string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async resolve(rule: ScopeRule, request: JejakRequest): Promise<string | undefined> {
    if (rule.from === 'body') {
      const value = (request.body as Record<string, unknown> | undefined)?.[rule.field];
      // Records belong to villages: anything but a 10-digit code is left to validation (400), not 403.
      return typeof value === 'string' && /^\d{10}$/.test(value) ? value : undefined;
    }
    const id = request.params[rule.param];
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    return this.areaOf(STREAM_OF[rule.from](id.toLowerCase()));
  }

  private async areaOf(streamId: string): Promise<string | undefined> {
    const remembered = this.known.get(streamId);
    if (remembered !== undefined) return remembered;
    const [first] = await collectIfAny(this.store.readStream(streamId, { maxCount: 1 }));
    const area = (first?.data as { areaCode?: unknown } | undefined)?.areaCode;
    if (typeof area !== 'string') return undefined; // unknown record: the handler answers 404
    if (this.known.size >= REMEMBERED) this.known.delete(this.known.keys().next().value!);
    this.known.set(streamId, area);
    return area;
  }
}
