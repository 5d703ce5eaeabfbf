/** Dates and rupiah through Intl, in the chosen language and the deployment's time zone (WIB). */
const TIME_ZONE = 'Asia/Jakarta';
const locale = (language: string) => (language === 'en' ? 'en-GB' : 'id-ID');

export const formatDate = (iso: string | null | undefined, language: string): string =>
  iso ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone: TIME_ZONE }).format(new Date(iso)) : '—';

export const formatDateTime = (iso: string | null | undefined, language: string): string =>
  iso
    ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE, timeZoneName: 'short' }).format(new Date(iso))
    : '—';

export const formatRupiah = (amount: number, language: string): string =>
  new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0, currencyDisplay: language === 'en' ? 'code' : 'symbol' }).format(amount);
