import { DeciderSpecification } from '@jejak/testing';

import { agencyDecider, type AgencyEvent, licenceValidOn, permitOn } from './agency';

const spec = DeciderSpecification.for(agencyDecider);
const licensed = (validUntil: string): AgencyEvent => ({
  type: 'AgencyLicensed',
  data: { agencyId: 'a1', name: 'PT Maju', licenceNumber: 'SIP3MI-1', validFrom: '2024-01-01', validUntil },
});
const issue = {
  type: 'IssueRecruitmentPermit' as const,
  permitNumber: 'SIP2MI-7',
  destinationCountry: 'MY',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
};
const revoked: AgencyEvent = { type: 'AgencyLicenceRevoked', data: { revokedOn: '2026-03-01', reason: 'x' } };
const permitted = (): AgencyEvent[] => spec.given([licensed('2028-06-30')]).followedBy(issue);

describe('agency decider: recruitment permits (SIP2MI)', () => {
  it('issues a permit to a licensed company', () =>
    spec
      .given([licensed('2028-06-30')])
      .when(issue)
      .then([
        {
          type: 'RecruitmentPermitIssued',
          data: { permitNumber: 'SIP2MI-7', destinationCountry: 'MY', validFrom: '2026-01-01', validUntil: '2026-12-31' },
        },
      ]));

  it('issues a permit number once', () => spec.given(permitted()).when(issue).thenThrows('PERMIT_EXISTS'));

  it('issues no permit to a company whose licence is revoked', () =>
    spec
      .given([...permitted(), revoked])
      .when({ ...issue, permitNumber: 'SIP2MI-9' })
      .thenThrows('AGENCY_REVOKED'));

  it.each([
    ['its destination on its period', 'SIP2MI-7', 'MY', '2026-02-01', 'valid'],
    ['another destination', 'SIP2MI-7', 'TW', '2026-02-01', 'other_destination'],
    ['a day after its period', 'SIP2MI-7', 'MY', '2027-01-01', 'not_valid'],
    ['a number not on record', 'SIP2MI-8', 'MY', '2026-02-01', 'missing'],
  ])('judges a permit as it stood on the job-order date: %s', (_case, permit, country, day, expected) =>
    expect(permitOn(spec.given(permitted()).state(), permit, country, day)).toBe(expected),
  );

  it('a permit is not valid from the day the licence is revoked', () =>
    expect(permitOn(spec.given([...permitted(), revoked]).state(), 'SIP2MI-7', 'MY', '2026-03-01')).toBe('not_valid'));
});

describe('agency decider: the company licence (SIP3MI)', () => {
  it.each([
    ['its last day', '2026-06-30', true],
    ['the day after it expires', '2026-07-01', false],
    ['the day before it starts', '2023-12-31', false],
  ])('is judged on the job-order date: %s', (_case, day, valid) =>
    expect(licenceValidOn(spec.given([licensed('2026-06-30')]).state(), day)).toBe(valid),
  );

  it('is valid the day before its revocation', () =>
    expect(licenceValidOn(spec.given([licensed('2026-06-30'), revoked]).state(), '2026-02-28')).toBe(true));

  it('is not valid from the day it is revoked', () =>
    expect(licenceValidOn(spec.given([licensed('2026-06-30'), revoked]).state(), '2026-03-01')).toBe(false));

  it('is renewed with its new number and end', () =>
    spec
      .given([licensed('2026-06-30')])
      .when({ type: 'RenewAgencyLicence', licenceNumber: 'SIP3MI-2', validUntil: '2028-06-30' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'AgencyLicenceRenewed', data: { licenceNumber: 'SIP3MI-2', validUntil: '2028-06-30' } }]);
        expect(licenceValidOn(state, '2027-01-01')).toBe(true);
      }));

  it('a renewal must extend the licence', () =>
    spec
      .given([licensed('2026-06-30')])
      .when({ type: 'RenewAgencyLicence', licenceNumber: 'x', validUntil: '2026-01-01' })
      .thenThrows('INVALID_LICENCE_PERIOD'));
});
