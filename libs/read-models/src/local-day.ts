/** The calendar day (YYYY-MM-DD) of an instant in a time zone: what reports count by. */
export function localDayIn(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (iso) => format.format(new Date(iso));
}
