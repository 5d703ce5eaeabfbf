/**
 * The web app's two catalogs say the same things: the same keys in Bahasa Indonesia and English, a
 * message in both for every stable refusal code the server can raise (the codes read from the domain
 * libraries' and the API's own source, not from a copy), and the values the forms offer equal to the
 * domain's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  ACTION_KINDS,
  CATEGORIES,
  CHANNELS,
  OUTCOMES as CASE_OUTCOMES,
  REFERRAL_TARGETS,
  RELATIONSHIPS,
  URGENCIES,
} from '@jejak/accompaniment';
import { RELATIONS } from '@jejak/community';
import {
  BUSINESS_SECTORS,
  BUSINESS_STATUSES,
  CONSULTATION_TOPICS,
  CONSULTED_AGENCIES,
  KUR_SCHEMES,
  KUR_STATUSES,
  LEGAL_STATUSES,
  REPAYMENT_STATUSES,
} from '@jejak/enterprise';
import { BACKGROUNDS } from '@jejak/identity';
import { ENQUIRY_CHANNELS, ENQUIRY_OUTCOMES, REFERRAL_TARGETS as ENQUIRY_REFERRAL_TARGETS, SEED_TOPICS } from '@jejak/information';
import { UNITS } from '@jejak/kernel';
import { DOCUMENT_KINDS, EMPLOYER_TYPES, MILESTONES, SECTORS } from '@jejak/placement';
import { FLAGS, INTERVENTIONS, OUTCOMES, SOURCES } from '@jejak/prevention';
import { FIGURES } from '@jejak/read-models';

import * as web from './src/domain';
import { HEADLINE } from './src/indicators';
import en from './src/locales/en.json';
import id from './src/locales/id.json';

const ROOT = join(__dirname, '..', '..');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every stable code a refusal can carry: the members of the `*ErrorCode` types, the `code` of each error
 * class, and the code given to every `refuse(...)`, `new NotFound(...)` or `*RuleViolated(...)`.
 */
export function refusalCodes(): string[] {
  const codes = new Set<string>();
  const literal = /'([A-Z][A-Z0-9_]{2,})'/g;
  for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps', 'api', 'src'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/type \w*(?:ErrorCode|Code)\s*=([^;]+);/g)) for (const l of m[1]!.matchAll(literal)) codes.add(l[1]!);
    for (const m of text.matchAll(/readonly code(?:\??: ([^;,)=]+)| = '([A-Z0-9_]+)')/g)) {
      if (m[2]) codes.add(m[2]);
      else for (const l of (m[1] ?? '').matchAll(literal)) codes.add(l[1]!);
    }
    for (const m of text.matchAll(/(?:refuse|NotFound|RuleViolated|Refused|Conflict)\w*\(\s*'([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

describe('the web app catalogs', () => {
  it('have the same keys in both languages, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(id).sort());
    for (const catalog of [en, id]) {
      for (const key of keys(catalog))
        expect([key, key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], catalog)]).not.toEqual([key, '']);
    }
  });

  it('explain every refusal code the server can raise, in both languages', () => {
    const codes = refusalCodes();
    // The extraction itself works: it finds codes of every kind of source.
    expect(codes).toEqual(
      expect.arrayContaining([
        'SELF_APPROVAL',
        'DOCUMENT_EXPIRED',
        'PRECONDITION_FAILED',
        'VALIDATION_FAILED',
        'INVALID_CREDENTIALS',
        'CATEGORY_NOT_SEALED',
      ]),
    );
    expect(codes.length).toBeGreaterThan(100);
    const missing = (catalog: { refusal: Record<string, string> }) => codes.filter((code) => !catalog.refusal[code]);
    expect({ id: missing(id), en: missing(en) }).toEqual({ id: [], en: [] });
  });

  it('name every category, channel, relationship, urgency, milestone, document kind and sector the domain has, and offer exactly those', () => {
    expect([...web.CATEGORIES]).toEqual([...CATEGORIES]);
    expect([...web.CHANNELS]).toEqual([...CHANNELS]);
    expect([...web.RELATIONSHIPS]).toEqual([...RELATIONSHIPS]);
    expect([...web.URGENCIES]).toEqual([...URGENCIES]);
    expect([...web.MILESTONES]).toEqual([...MILESTONES]);
    expect([...web.DOCUMENT_KINDS]).toEqual([...DOCUMENT_KINDS]);
    expect([...web.SECTORS]).toEqual([...SECTORS]);
    expect([...web.EMPLOYER_TYPES]).toEqual([...EMPLOYER_TYPES]);
    expect([...web.FLAGS]).toEqual([...FLAGS]);
    expect([...web.ACTION_KINDS]).toEqual([...ACTION_KINDS]);
    expect([...web.REFERRAL_TARGETS]).toEqual([...REFERRAL_TARGETS]);
    expect([...web.CASE_OUTCOMES]).toEqual([...CASE_OUTCOMES]);
    expect([...web.SOURCES]).toEqual([...SOURCES]);
    expect([...web.INTERVENTIONS]).toEqual([...INTERVENTIONS]);
    expect([...web.PREVENTION_OUTCOMES]).toEqual([...OUTCOMES]);
    expect([...web.SEED_TOPICS]).toEqual([...SEED_TOPICS]);
    expect([...web.ENQUIRY_CHANNELS]).toEqual([...ENQUIRY_CHANNELS]);
    expect([...web.ENQUIRY_OUTCOMES]).toEqual([...ENQUIRY_OUTCOMES]);
    expect([...web.ENQUIRY_REFERRALS]).toEqual([...ENQUIRY_REFERRAL_TARGETS]);
    expect([...web.RELATIONS]).toEqual([...RELATIONS]);
    expect([...web.UNITS]).toEqual([...UNITS]);
    expect([...web.BACKGROUNDS]).toEqual([...BACKGROUNDS]);
    for (const catalog of [en, id]) {
      expect(Object.keys(catalog.unit).sort()).toEqual([...UNITS].sort());
      expect(Object.keys(catalog.background).sort()).toEqual([...BACKGROUNDS].sort());
    }
    const economic = {
      sector: [web.BUSINESS_SECTORS, BUSINESS_SECTORS],
      businessStatus: [web.BUSINESS_STATUSES, BUSINESS_STATUSES],
      legalStatus: [web.LEGAL_STATUSES, LEGAL_STATUSES],
      agency: [web.CONSULTED_AGENCIES, CONSULTED_AGENCIES],
      consultationTopic: [web.CONSULTATION_TOPICS, CONSULTATION_TOPICS],
      kurScheme: [web.KUR_SCHEMES, KUR_SCHEMES],
      kurStatus: [web.KUR_STATUSES, KUR_STATUSES],
      repayment: [web.REPAYMENT_STATUSES, REPAYMENT_STATUSES],
    } as const;
    for (const [section, [shown, domain]] of Object.entries(economic)) {
      expect([section, [...shown]]).toEqual([section, [...domain]]);
      for (const catalog of [en, id])
        expect([section, Object.keys((catalog as unknown as Record<string, object>)[section] ?? {}).sort()]).toEqual([
          section,
          [...domain].sort(),
        ]);
    }
    for (const catalog of [en, id]) {
      expect(Object.keys(catalog.topic).sort()).toEqual([...SEED_TOPICS].sort());
      expect(Object.keys(catalog.enquiryChannel).sort()).toEqual([...ENQUIRY_CHANNELS].sort());
      expect(Object.keys(catalog.enquiryOutcome).sort()).toEqual([...ENQUIRY_OUTCOMES].sort());
      expect(Object.keys(catalog.enquiryReferral).sort()).toEqual([...ENQUIRY_REFERRAL_TARGETS].sort());
      expect(Object.keys(catalog.relation).sort()).toEqual([...RELATIONS].sort());
    }
    for (const catalog of [en, id]) {
      // A placement's stages: registered, then each milestone (what the placement list's stage filter takes).
      expect(Object.keys(catalog.milestone).sort()).toEqual(['registered', ...MILESTONES].sort());
      expect(Object.keys(catalog.docKind).sort()).toEqual([...DOCUMENT_KINDS].sort());
      for (const value of [...SECTORS, ...EMPLOYER_TYPES]) expect(catalog.option).toHaveProperty(value);
      expect(Object.keys(catalog.flag).sort()).toEqual([...FLAGS].sort());
      expect(Object.keys(catalog.source).sort()).toEqual([...SOURCES].sort());
      expect(Object.keys(catalog.intervention).sort()).toEqual([...INTERVENTIONS].sort());
      expect(Object.keys(catalog.preventionOutcome).sort()).toEqual([...OUTCOMES].sort());
      // Every step form's title and every field it shows.
      expect(Object.keys(catalog.actionKind).sort()).toEqual([...ACTION_KINDS].sort());
      expect(Object.keys(catalog.caseOutcome).sort()).toEqual([...CASE_OUTCOMES].sort());
      expect(Object.keys(catalog.referralTarget).sort()).toEqual([...REFERRAL_TARGETS].sort());
      for (const step of [...web.PLACEMENT_STEPS, ...web.PREVENTION_STEPS, ...web.CASE_STEPS]) {
        expect(catalog.step).toHaveProperty(step.key);
        for (const field of step.fields) expect(catalog.stepField).toHaveProperty(field.name);
      }
      expect(Object.keys(catalog.category).sort()).toEqual([...CATEGORIES].sort());
      expect(Object.keys(catalog.channel).sort()).toEqual([...CHANNELS].sort());
      expect(Object.keys(catalog.relationship).sort()).toEqual([...RELATIONSHIPS].sort());
      expect(Object.keys(catalog.urgency).sort()).toEqual([...URGENCIES].sort());
    }
  });

  it('say what every figure counts, in the English of its one definition (FIGURES) and in Bahasa Indonesia', () => {
    const at = (catalog: unknown, key: string): unknown =>
      key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], catalog);
    for (const figure of FIGURES) {
      expect([figure.key, at(en, `figure.${figure.key}.help`)]).toEqual([figure.key, figure.sentence]);
      for (const catalog of [en, id]) {
        expect(typeof at(catalog, `figure.${figure.key}.label`)).toBe('string');
        expect(typeof at(catalog, `figure.${figure.key}.help`)).toBe('string');
      }
    }
    // The dashboard's tiles are figures of the report, none invented by the page.
    for (const key of HEADLINE) expect(FIGURES.map((f) => f.key)).toContain(key);
  });
});
