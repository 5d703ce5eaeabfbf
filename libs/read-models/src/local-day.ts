import { localDay } from '@jejak/kernel';

/** The calendar day (YYYY-MM-DD) of an instant in a time zone: what reports count by. */
export function localDayIn(timeZone: string): (iso: string) => string {
  return localDay(timeZone);
}
