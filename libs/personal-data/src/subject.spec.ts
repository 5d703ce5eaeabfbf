import { decideSubject, evolveSubject, initialSubjectState, type SubjectCommand, type SubjectEvent, type SubjectState } from './subject';

const at = new Date('2026-11-29T08:00:00Z');
const registered: SubjectEvent = {
  type: 'SubjectRegistered',
  data: { subjectId: 's1', kind: 'worker', areaCode: '3201012001', personal: { name: 'pd1:aaa' }, consentBasis: 'consent', registeredAt: at.toISOString() },
};
const given = (...events: SubjectEvent[]): SubjectState => events.reduce(evolveSubject, initialSubjectState);
const refusal = (state: SubjectState, command: SubjectCommand): string => {
  try {
    decideSubject(command, state);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

describe('subject decider', () => {
  it('registers once and keeps the latest sealed value of each corrected field', () => {
    const register: SubjectCommand = { type: 'RegisterSubject', subjectId: 's1', kind: 'worker', areaCode: '3201012001', personal: { name: 'pd1:aaa' }, consentBasis: 'consent', at };
    expect(decideSubject(register, given())).toEqual([registered]);
    expect(refusal(given(registered), register)).toBe('SUBJECT_ALREADY_REGISTERED');
    const corrected = decideSubject({ type: 'CorrectSubjectData', personal: { phone: 'pd1:ppp', name: 'pd1:bbb' }, reason: 'typo', at }, given(registered));
    expect(corrected).toEqual([{ type: 'SubjectDataCorrected', data: { personal: { phone: 'pd1:ppp', name: 'pd1:bbb' }, fields: ['name', 'phone'], reason: 'typo' } }]);
    expect(given(registered, ...corrected).personal).toEqual({ name: 'pd1:bbb', phone: 'pd1:ppp' });
  });

  it('refuses erasure under a legal hold, allows it once released, and erasing twice writes nothing', () => {
    const hold: SubjectEvent = { type: 'SubjectLegalHoldPlaced', data: { reason: 'TPPO trial', legalBasis: 'court order 12/2026', placedAt: at.toISOString() } };
    const erase: SubjectCommand = { type: 'EraseSubject', reason: 'request', legalBasis: 'UU 27/2022 art. 8', at };
    expect(refusal(given(registered, hold), erase)).toBe('LEGAL_HOLD_ACTIVE');
    const released: SubjectEvent = { type: 'SubjectLegalHoldReleased', data: { reason: 'verdict final', releasedAt: at.toISOString() } };
    const erased = decideSubject(erase, given(registered, hold, released));
    expect(erased.map((e) => e.type)).toEqual(['SubjectErased']);
    const state = given(registered, hold, released, ...erased);
    expect(state.status).toBe('erased');
    expect(decideSubject(erase, state)).toEqual([]);
    expect(refusal(state, { type: 'CorrectSubjectData', personal: { name: 'pd1:x' }, reason: 'x', at })).toBe('SUBJECT_ERASED');
    expect(refusal(given(registered), { type: 'ReleaseLegalHold', reason: 'x', at })).toBe('NO_LEGAL_HOLD');
  });

  it('refuses commands on a subject that does not exist', () => {
    expect(refusal(given(), { type: 'PlaceLegalHold', hold: { reason: 'r', legalBasis: 'b' }, at })).toBe('SUBJECT_NOT_FOUND');
    expect(refusal(given(), { type: 'RecordAccessReport', at })).toBe('SUBJECT_NOT_FOUND');
  });
});
