import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type SubjectCommand, subjectDecider, type SubjectEvent } from './subject';

const at = new Date('2026-11-29T08:00:00Z');
const spec = DeciderSpecification.for(subjectDecider, { by: 'officer-1', at, today: '2026-11-29' });

const register: SpecCommand<SubjectCommand> = {
  type: 'RegisterSubject',
  subjectId: 's1',
  kind: 'worker',
  areaCode: '3201012001',
  personal: { name: 'pd1:aaa' },
  consentBasis: 'consent',
  at,
};
const registered: SubjectEvent = {
  type: 'SubjectRegistered',
  data: {
    subjectId: 's1',
    kind: 'worker',
    areaCode: '3201012001',
    personal: { name: 'pd1:aaa' },
    consentBasis: 'consent',
    registeredAt: at.toISOString(),
  },
};
const hold: SubjectEvent = {
  type: 'SubjectLegalHoldPlaced',
  data: { reason: 'TPPO trial', legalBasis: 'court order 12/2026', placedAt: at.toISOString() },
};
const released: SubjectEvent = { type: 'SubjectLegalHoldReleased', data: { reason: 'verdict final', releasedAt: at.toISOString() } };
const erase: SpecCommand<SubjectCommand> = { type: 'EraseSubject', reason: 'request', legalBasis: 'UU 27/2022 art. 8', at };
const erased: SubjectEvent = {
  type: 'SubjectErased',
  data: { reason: 'request', legalBasis: 'UU 27/2022 art. 8', erasedAt: at.toISOString() },
};
const correct: SpecCommand<SubjectCommand> = {
  type: 'CorrectSubjectData',
  personal: { phone: 'pd1:ppp', name: 'pd1:bbb' },
  reason: 'typo',
  at,
};

describe('subject decider', () => {
  it('registers a person', () => spec.given([]).when(register).then([registered]));

  it('registers a person once', () => spec.given([registered]).when(register).thenThrows('SUBJECT_ALREADY_REGISTERED', 'conflict'));

  it('corrects fields, naming which changed, and keeps the latest sealed value of each', () =>
    spec
      .given([registered])
      .when(correct)
      .thenState((after, events) => {
        expect(events).toEqual([
          {
            type: 'SubjectDataCorrected',
            data: { personal: { phone: 'pd1:ppp', name: 'pd1:bbb' }, fields: ['name', 'phone'], reason: 'typo' },
          },
        ]);
        expect(after.personal).toEqual({ name: 'pd1:bbb', phone: 'pd1:ppp' });
      }));

  it('refuses erasure under a legal hold', () => spec.given([registered, hold]).when(erase).thenThrows('LEGAL_HOLD_ACTIVE', 'conflict'));

  it('erases once the hold is released', () =>
    spec
      .given([registered, hold, released])
      .when(erase)
      .thenState((after, events) => {
        expect(events).toEqual([erased]);
        expect(after.status).toBe('erased');
      }));

  it('erases twice without writing anything the second time', () => spec.given([registered, erased]).when(erase).thenNothingHappens());

  it('refuses to correct an erased person', () =>
    spec
      .given([registered, erased])
      .when({ type: 'CorrectSubjectData', personal: { name: 'pd1:x' }, reason: 'x', at })
      .thenThrows('SUBJECT_ERASED'));

  it('refuses to release a hold that is not there', () =>
    spec.given([registered]).when({ type: 'ReleaseLegalHold', reason: 'x', at }).thenThrows('NO_LEGAL_HOLD'));

  it('answers a hold on a person who does not exist with not found (404)', () =>
    spec
      .given([])
      .when({ type: 'PlaceLegalHold', hold: { reason: 'r', legalBasis: 'b' }, at })
      .thenThrows('SUBJECT_NOT_FOUND', 'not_found'));

  it('answers an access report on a person who does not exist with not found (404)', () =>
    spec.given([]).when({ type: 'RecordAccessReport', at }).thenThrows('SUBJECT_NOT_FOUND', 'not_found'));
});
