/** Calendar dates as `YYYY-MM-DD` strings: what officers record, compared without time zones. */
export type CalendarDate = string;

export const isCalendarDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** Full years between `birth` and `on`. Someone born on 29 February turns a year older on 1 March. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}
