/** A calendar day as people write it, `YYYY-MM-DD`: what officers record, compared without time zones. */
export type CalendarDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const leap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` naming a day that exists (not 2026-02-30, not 0000-00-00). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DAYS[month - 1]! + (month === 2 && leap(year) ? 1 : 0);
}

/**
 * The calendar day of an instant in a time zone (the deployment's, JEJAK_TIMEZONE): what "today", a
 * report's month and a list's date filter mean. Never the UTC day, which is yesterday in Jakarta until 07:00.
 */
export function localDay(timeZone: string): (instant: Date | string) => CalendarDate {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (instant) => format.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** Personal values as the vault sealed them, by field name: ciphertext, opened only with the person's key. */
export type Sealed = Readonly<Record<string, string>>;
