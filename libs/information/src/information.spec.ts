import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type EnquiryCommand, enquiryDecider, type EnquiryEvent } from './enquiry';
import { type SessionCommand, sessionDecider, type SessionEvent } from './session';
import { SEED_TOPICS, topicDecider } from './topics';

const envelope = { by: 'officer-1', at: new Date('2026-03-10T03:00:00Z'), today: '2026-03-10' };
const catalog = [...SEED_TOPICS];
const A = '6f1c0c7e-0000-4000-8000-00000000000a';
const B = '6f1c0c7e-0000-4000-8000-00000000000b';

describe('topic catalog', () => {
  const spec = DeciderSpecification.for(topicDecider, envelope);
  const add = { type: 'AddTopic', code: 'social_security', name: { id: 'Jaminan sosial', en: 'Social security' } } as const;

  it('starts with the program topics', () => expect(spec.given([]).state().codes).toEqual(SEED_TOPICS));

  it('adds a topic', () =>
    spec
      .given([])
      .when(add)
      .then([{ type: 'InformationTopicAdded', data: { code: 'social_security', name: { id: 'Jaminan sosial', en: 'Social security' } } }]));

  it('lists an added topic after the program ones', () =>
    expect(spec.given(spec.history(add)).state().codes).toEqual([...SEED_TOPICS, 'social_security']));

  it('refuses a topic already in the catalog, built in or added', () => {
    spec
      .given([])
      .when({ ...add, code: 'required_documents' })
      .thenThrows('TOPIC_EXISTS', 'conflict');
    spec.given(spec.history(add)).when(add).thenThrows('TOPIC_EXISTS', 'conflict');
  });
});

describe('dissemination session decider', () => {
  const spec = DeciderSpecification.for(sessionDecider, envelope);
  const record: SpecCommand<SessionCommand> = {
    type: 'RecordSession',
    sessionId: 's1',
    areaCode: '3201012001',
    heldOn: '2026-03-09',
    place: 'Balai desa',
    topics: ['safe_migration_procedure', 'recognising_illegal_recruiters'],
    peopleReached: 40,
    attendees: [A],
    catalog,
  };
  const held: SessionEvent = {
    type: 'DisseminationSessionHeld',
    data: {
      sessionId: 's1',
      areaCode: '3201012001',
      heldOn: '2026-03-09',
      place: 'Balai desa',
      topics: ['safe_migration_procedure', 'recognising_illegal_recruiters'],
      peopleReached: 40,
      attendees: [A],
      recordedBy: 'officer-1',
    },
  };

  it('records a session: its day, place, topics, people reached and the members who attended', () =>
    spec.given([]).when(record).then([held]));

  it('records a session once', () => spec.given([held]).when(record).thenThrows('SESSION_ALREADY_RECORDED', 'conflict'));

  it.each([
    ['a day after today', { heldOn: '2026-03-11' }, 'DATE_IN_FUTURE'],
    ['no topic', { topics: [] }, 'TOPIC_REQUIRED'],
    ['a topic twice', { topics: ['required_documents', 'required_documents'] }, 'TOPIC_REPEATED'],
    ['a topic outside the catalog', { topics: ['astrology'] }, 'UNKNOWN_TOPIC'],
    ['a member twice', { attendees: [A, A], peopleReached: 5 }, 'ATTENDEE_REPEATED'],
    ['fewer people reached than members named', { attendees: [A, B], peopleReached: 1 }, 'FEWER_REACHED_THAN_ATTENDED'],
  ])('refuses %s', (_name, change, code) =>
    spec
      .given([])
      .when({ ...record, ...change } as SpecCommand<SessionCommand>)
      .thenThrows(code),
  );

  it('accepts a topic an administrator added', () =>
    spec
      .given([])
      .when({ ...record, topics: ['social_security'], catalog: [...catalog, 'social_security'] })
      .thenState((state) => expect(state.topics).toEqual(['social_security'])));

  it('adds members who attended, leaving out those already named', () =>
    spec
      .given([held])
      .when({ type: 'AddAttendees', subjectIds: [A, B] })
      .then([{ type: 'SessionAttendeesAdded', data: { subjectIds: [B] } }]));

  it('adds nothing when every member named is on record already', () =>
    spec
      .given([held])
      .when({ type: 'AddAttendees', subjectIds: [A] })
      .thenNothingHappens());

  it('refuses more members than people reached', () =>
    spec
      .given([{ ...held, data: { ...held.data, peopleReached: 1 } }])
      .when({ type: 'AddAttendees', subjectIds: [B] })
      .thenThrows('FEWER_REACHED_THAN_ATTENDED'));

  it('corrects the number reached as an event, keeping what it was', () =>
    spec
      .given([held])
      .when({ type: 'CorrectPeopleReached', peopleReached: 35, reason: 'counted twice at the door' })
      .then([{ type: 'SessionPeopleReachedCorrected', data: { from: 40, to: 35, reason: 'counted twice at the door' } }]));

  it('decides nothing for a correction to the same number', () =>
    spec.given([held]).when({ type: 'CorrectPeopleReached', peopleReached: 40, reason: 'x' }).thenNothingHappens());

  it('refuses a step on a session not on record', () =>
    spec
      .given([])
      .when({ type: 'AddAttendees', subjectIds: [A] })
      .thenThrows('SESSION_NOT_FOUND', 'not_found'));
});

describe('enquiry decider', () => {
  const spec = DeciderSpecification.for(enquiryDecider, envelope);
  const answered: SpecCommand<EnquiryCommand> = {
    type: 'RecordEnquiry',
    enquiryId: 'e1',
    areaCode: '3201012001',
    receivedOn: '2026-03-10',
    channel: 'phone',
    topic: 'required_documents',
    enquirerSubjectId: null,
    outcome: 'answered',
    referral: null,
    sealed: { question: 'v1:x' },
    catalog,
  };
  const recorded: EnquiryEvent = {
    type: 'EnquiryRecorded',
    data: {
      enquiryId: 'e1',
      areaCode: '3201012001',
      receivedOn: '2026-03-10',
      channel: 'phone',
      topic: 'required_documents',
      enquirerSubjectId: null,
      outcome: 'answered',
      referral: null,
      sealed: { question: 'v1:x' },
      recordedBy: 'officer-1',
    },
  };
  const toPlacement = {
    ...answered,
    enquirerSubjectId: A,
    outcome: 'referred',
    referral: { to: 'placement', recordId: 'p1' },
  } as const;

  it('records an answered enquiry from an anonymous caller', () => spec.given([]).when(answered).then([recorded]));

  it('records a referral with the record it opens', () =>
    spec
      .given([])
      .when(toPlacement)
      .then([
        {
          type: 'EnquiryRecorded',
          data: { ...recorded.data, enquirerSubjectId: A, outcome: 'referred', referral: { to: 'placement', recordId: 'p1' } },
        },
      ]));

  it('lets an anonymous report of a recruiter be referred to prevention', () =>
    spec
      .given([])
      .when({ ...answered, outcome: 'referred', referral: { to: 'prevention', recordId: 'v1', destinationCountry: 'MY' } })
      .thenState((state) => expect(state.status).toBe('referred')));

  it.each([
    ['a day after today', { receivedOn: '2026-03-11' }, 'DATE_IN_FUTURE'],
    ['a topic outside the catalog', { topic: 'lottery' }, 'UNKNOWN_TOPIC'],
    ['a referral that names no record', { outcome: 'referred' }, 'REFERRAL_REQUIRED'],
    [
      'an answered enquiry that names a referral',
      { referral: { to: 'placement', recordId: 'p1' }, enquirerSubjectId: A },
      'REFERRAL_NOT_ALLOWED',
    ],
    ['a referral to a placement for nobody on record', { ...toPlacement, enquirerSubjectId: null }, 'ENQUIRER_REQUIRED'],
  ])('refuses %s', (_name, change, code) =>
    spec
      .given([])
      .when({ ...answered, ...change } as SpecCommand<EnquiryCommand>)
      .thenThrows(code),
  );

  it('records an enquiry once', () => spec.given([recorded]).when(answered).thenThrows('ENQUIRY_ALREADY_RECORDED'));

  it('links the opened record once', () => {
    const referred = spec.history(toPlacement);
    spec
      .given(referred)
      .when({ type: 'LinkReferral', to: 'placement', recordId: 'p1' })
      .then([{ type: 'EnquiryReferralOpened', data: { to: 'placement', recordId: 'p1' } }]);
    spec
      .given(spec.given(referred).followedBy({ type: 'LinkReferral', to: 'placement', recordId: 'p1' }))
      .when({ type: 'LinkReferral', to: 'placement', recordId: 'p1' })
      .thenNothingHappens();
  });

  it('refuses a link to a record the enquiry was not referred to', () =>
    spec.given([recorded]).when({ type: 'LinkReferral', to: 'case', recordId: 'c9' }).thenThrows('NOT_REFERRED'));
});
