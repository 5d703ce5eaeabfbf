import { isCalendarDate, localDay } from './dates';

describe('calendar dates', () => {
  it('accepts days that exist, leap days in leap years included', () => {
    for (const day of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31']) expect(isCalendarDate(day)).toBe(true);
  });

  it('refuses days that do not exist and anything not written YYYY-MM-DD', () => {
    for (const day of [
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '0000-00-00',
      '2026-1-5',
      '2026-01-05T00:00:00Z',
      20260105,
      null,
    ])
      expect(isCalendarDate(day)).toBe(false);
  });
});

describe('the local day of an instant', () => {
  const jakarta = localDay('Asia/Jakarta');

  it('is the next day in Jakarta from 17:00 UTC, the same day before', () => {
    expect(jakarta(new Date('2026-11-30T16:59:59Z'))).toBe('2026-11-30');
    expect(jakarta(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
    expect(jakarta('2026-12-31T23:30:00Z')).toBe('2027-01-01');
  });

  it('follows the zone it is given', () => {
    expect(localDay('UTC')(new Date('2026-11-30T17:00:00Z'))).toBe('2026-11-30');
    expect(localDay('Asia/Jayapura')(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-01');
  });
});
