/**
 * Information services for the figures and their drill-down lists: one document per dissemination
 * session and per enquiry, built from their events. A correction of the number reached counts its
 * difference on the day it was made, so a finished month never changes.
 */
import type { JsonValue, RecordedEvent } from '@jejak/event-store';
import type { EnquiryEvent, SessionEvent } from '@jejak/information';

import { localDayIn } from '../local-day';
import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

export interface InformationSummary {
  readonly id: string;
  readonly kind: 'session' | 'enquiry';
  readonly areaCode: string;
  /** The day it happened as recorded: held (a session) or received (an enquiry). */
  readonly day: string;
  /** A session's topics, an enquiry's one topic. */
  readonly topics: readonly string[];
  /** A session: people reached as first counted, then each correction's difference on the day it was made. */
  readonly reached: readonly { readonly day: string; readonly n: number }[];
  readonly attendees: number;
  /** The people it names, by opaque id: a session's attendees, an enquiry's enquirer. */
  readonly subjects: readonly string[];
  readonly channel: string | null;
  readonly outcome: string | null;
  readonly referredTo: string | null;
  readonly revision: string;
}

type Doc = InformationSummary & JsonValue;

export function informationProjection(
  localDay: (iso: string) => string = localDayIn('Asia/Jakarta'),
  timeZone = 'Asia/Jakarta',
): DocumentProjection<Doc> {
  const happened = (event: RecordedEvent) =>
    localDay(typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString());
  return {
    name: 'information',
    version: 1,
    settings: JSON.stringify({ timeZone }),
    filter: { streamPrefixes: ['session-', 'enquiry-'] },
    keyOf: (event) => event.streamId,
    evolve: (document, event) => {
      const revision = event.revision.toString();
      const e = { type: event.type, data: event.data } as SessionEvent | EnquiryEvent;
      const doc = document as InformationSummary | null;
      switch (e.type) {
        case 'DisseminationSessionHeld':
          return {
            id: e.data.sessionId,
            kind: 'session',
            areaCode: e.data.areaCode,
            day: e.data.heldOn,
            topics: e.data.topics,
            reached: [{ day: e.data.heldOn, n: e.data.peopleReached }],
            attendees: e.data.attendees.length,
            subjects: e.data.attendees,
            channel: null,
            outcome: null,
            referredTo: null,
            revision,
          } as Doc;
        case 'SessionAttendeesAdded':
          return (
            doc &&
            ({
              ...doc,
              attendees: doc.attendees + e.data.subjectIds.length,
              subjects: [...doc.subjects, ...e.data.subjectIds],
              revision,
            } as Doc)
          );
        case 'SessionPeopleReachedCorrected':
          return doc && ({ ...doc, reached: [...doc.reached, { day: happened(event), n: e.data.to - e.data.from }], revision } as Doc);
        case 'EnquiryRecorded':
          return {
            id: e.data.enquiryId,
            kind: 'enquiry',
            areaCode: e.data.areaCode,
            day: e.data.receivedOn,
            topics: [e.data.topic],
            reached: [],
            attendees: 0,
            subjects: e.data.enquirerSubjectId ? [e.data.enquirerSubjectId] : [],
            channel: e.data.channel,
            outcome: e.data.outcome,
            referredTo: e.data.referral?.to ?? null,
            revision,
          } as Doc;
        case 'EnquiryReferralOpened':
          return doc && ({ ...doc, revision } as Doc);
      }
    },
    facts: (d): ProgramFact[] =>
      d.kind === 'session'
        ? [
            { area: d.areaCode, day: d.day, metric: 'information.sessions' },
            ...d.reached.map((r) => ({ area: d.areaCode, day: r.day, metric: 'information.people_reached' as const, n: r.n })),
            ...d.topics.map((topic) => ({ area: d.areaCode, day: d.day, metric: 'information.session_topic' as const, key: topic })),
          ]
        : [
            { area: d.areaCode, day: d.day, metric: 'information.enquiries', key: d.channel! },
            ...(d.referredTo ? [{ area: d.areaCode, day: d.day, metric: 'information.referred' as const, key: d.referredTo }] : []),
          ],
    columns: {
      kind: { type: 'text', of: (d) => d.kind },
      area: { type: 'text', of: (d) => d.areaCode },
      // The day it happened, what the figures count by and a drill-down filters by.
      day: { type: 'text', of: (d) => d.day },
      // Lists are newest first by that day (a timestamp only for the keyset cursor's order).
      sort_at: { type: 'timestamptz', of: (d) => `${d.day}T00:00:00Z` },
      topics: { type: 'text[]', of: (d) => d.topics },
      channel: { type: 'text', of: (d) => d.channel },
      outcome: { type: 'text', of: (d) => d.outcome },
      referred_to: { type: 'text', of: (d) => d.referredTo },
      subjects: { type: 'text[]', of: (d) => subjectIds(...d.subjects) },
    },
    indexes: { kind_sorted: '(kind, sort_at desc, id desc) include (area, day)' },
  };
}
