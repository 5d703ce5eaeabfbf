import { type Category, isSensitiveCategory, SENSITIVE_CATEGORIES } from '@jejak/accompaniment';
import type { JsonValue } from '@jejak/event-store';
import type { PersonalDataVault, SealedFields } from '@jejak/personal-data';

/**
 * Free text is personal data until shown otherwise: reasons (assignment, rejection, suspension, reopening,
 * withdrawal, a legal hold, an erasure), the organisation a case is referred to, a recruitment route. Each
 * is sealed in place, with the key of the person the record is about, before it enters an event, so that
 * erasing that person leaves none of it readable. The domain only ever checks that such a text is there.
 */
export const FREE_TEXT_FIELDS = ['reason', 'organisation', 'route', 'reference'] as const;

/**
 * Money tied to a person (Law 27/2022: financial data is specific personal data): amounts claimed, paid
 * and recovered are sealed in place the same way, and opened back into numbers.
 */
export const AMOUNT_FIELDS = ['amountClaimed', 'amountPaid', 'amountRecovered'] as const;
const SEALED_FIELDS: readonly string[] = [...FREE_TEXT_FIELDS, ...AMOUNT_FIELDS];

const SEALED = 'pd1:';

/** The command with each free-text field sealed (the field name binds the ciphertext, as for personal fields). */
export async function sealFreeText<T extends object>(vault: PersonalDataVault, subjectId: string, step: T): Promise<T> {
  const clear: Record<string, string> = {};
  for (const field of FREE_TEXT_FIELDS) {
    const value = (step as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > 0 && !value.startsWith(SEALED)) clear[field] = value;
  }
  for (const field of AMOUNT_FIELDS) {
    const value = (step as Record<string, unknown>)[field];
    if (typeof value === 'number') clear[field] = String(value);
  }
  if (Object.keys(clear).length === 0) return step;
  return { ...step, ...(await vault.seal(subjectId, clear)) };
}

/** Opens every sealed free-text value in an answer (at any depth, by its field name): "[erased]" once erased. */
export async function openFreeText<T>(vault: PersonalDataVault, subjectId: string, value: T): Promise<T> {
  return (await open(vault, subjectId, value as JsonValue, 0)) as T;
}

async function open(vault: PersonalDataVault, subjectId: string, value: JsonValue, depth: number): Promise<JsonValue> {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => open(vault, subjectId, v, depth + 1)));
  const out: Record<string, JsonValue> = {};
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && child.startsWith(SEALED) && SEALED_FIELDS.includes(key)) {
      const opened = (await vault.reveal(subjectId, { [key]: child }))[key]!;
      out[key] = (AMOUNT_FIELDS as readonly string[]).includes(key) && /^\d+$/.test(opened) ? Number(opened) : opened;
    } else {
      out[key] = await open(vault, subjectId, child, depth + 1);
    }
  }
  return out;
}

/**
 * Complaint categories as a case records them: the ones that may stand in clear, a keyed token for each
 * health or trafficking category, and those categories as JSON to be sealed with the worker's key
 * (`sensitiveCategories`), undefined when there are none.
 */
export function splitCategories(
  vault: PersonalDataVault,
  categories: readonly string[],
): { categories: Category[]; categoryTokens: string[]; sensitiveCategories: string | undefined } {
  const unique = [...new Set(categories)] as Category[];
  const sensitive = unique.filter(isSensitiveCategory);
  return {
    categories: unique.filter((c) => !isSensitiveCategory(c)),
    categoryTokens: sensitive.map((c) => vault.statisticsToken('category', c)),
    sensitiveCategories: sensitive.length > 0 ? JSON.stringify(sensitive) : undefined,
  };
}

/** The keyed token of a person's sex, as the case figures count it; null when it is not known. */
export const sexToken = (vault: PersonalDataVault, sex: string | undefined): string | null =>
  sex === 'F' || sex === 'M' ? vault.statisticsToken('sex', sex) : null;

/** A case's categories for a reader in scope: those in clear and the sealed ones opened (none once erased). */
export function openedCategories(clear: readonly string[], sealed: string | undefined): string[] {
  if (!sealed) return [...clear];
  try {
    const opened = JSON.parse(sealed) as unknown;
    return Array.isArray(opened) ? [...clear, ...opened.filter((c): c is string => typeof c === 'string')] : [...clear];
  } catch {
    return [...clear]; // "[erased]"
  }
}

/** What each statistics token stands for: the health and trafficking categories, and F and M. */
export function statisticsNames(vault: PersonalDataVault): Map<string, string> {
  return new Map([
    ...SENSITIVE_CATEGORIES.map((c) => [vault.statisticsToken('category', c), c] as const),
    ...(['F', 'M'] as const).map((s) => [vault.statisticsToken('sex', s), s] as const),
  ]);
}

/** Seals the secrets that were given (none: nothing sealed, no key made). */
export async function sealGiven(
  vault: PersonalDataVault,
  holder: string,
  secrets: Record<string, string | undefined>,
): Promise<SealedFields> {
  const clear = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => e[1] !== undefined));
  return Object.keys(clear).length === 0 ? {} : vault.seal(holder, clear);
}
