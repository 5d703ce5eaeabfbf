/**
 * Dates and rupiah through Intl, in the chosen language and the deployment's time zone: the server names
 * it (JEJAK_TIMEZONE) in the page's `jejak-timezone` meta tag; WIB when the page was opened without it.
 */
export const TIME_ZONE = document.querySelector<HTMLMetaElement>('meta[name="jejak-timezone"]')?.content || 'Asia/Jakarta';
const locale = (language: string) => (language === 'en' ? 'en-GB' : 'id-ID');

export const formatDate = (iso: string | null | undefined, language: string): string =>
  iso
    ? new Intl.DateTimeFormat(locale(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone: TIME_ZONE }).format(
        new Date(iso),
      )
    : '—';

export const formatDateTime = (iso: string | null | undefined, language: string): string =>
  iso
    ? new Intl.DateTimeFormat(locale(language), {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: TIME_ZONE,
        timeZoneName: 'short',
      }).format(new Date(iso))
    : '—';

export const formatRupiah = (amount: number, language: string): string =>
  new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'id-ID', {
    style: 'currency',
    currency: 'IDR',
    maximumFractionDigits: 0,
    currencyDisplay: language === 'en' ? 'code' : 'symbol',
  }).format(amount);

/** Today's date (YYYY-MM-DD) where the deployment is, not where the browser's clock is set or UTC. */
export const today = (at: Date = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
