import type { CalendarDate } from '@jejak/kernel';

export { type CalendarDate, isCalendarDate } from '@jejak/kernel';

/** Full years between `birth` and `on`. Someone born on 29 February turns a year older on 1 March. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}
