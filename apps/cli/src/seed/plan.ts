/**
 * A synthetic KKBM program as a plan of HTTP commands: pure and deterministic for a given seed and scale,
 * so that the same seed always asks for the same program. At scale 1 it has the size of the 2017-2018
 * program: 7 provinces, 49 villages, 147 officers (3 per village), about 8,000 workers, over two years of
 * simulated time ending today. Proportions (the seed's choice, not official figures): about 70% of workers
 * go through placement facilitation, of whom most depart; one in ten files a complaint; one in sixteen is
 * reported at risk of non-procedural placement.
 */

import { RELATIONS } from '@jejak/community';
import { BUSINESS_SECTORS } from '@jejak/enterprise';
import { ENQUIRY_CHANNELS, SEED_TOPICS } from '@jejak/information';
import { seededRandom } from '@jejak/kernel';

/** Seven provinces of the program, by their Kemendagri codes. */
// The program's own work besides the three workflows (the seed's choice of proportions): one community per
// village, formed in the program's first months, about 40 members per village joining over the two years
// (one in ten leaves); two dissemination sessions a month per village, naming a few members who attended;
// three enquiries a month per village, one in ten referred to prevention; about ten businesses per village
// owned by members, reporting most months (a few pause or close), a business group per village (one in
// three registered as a cooperative), a KUR application for one business in three (most approved and
// disbursed, some repaid late), a consultation a year per business. Of each village's three officers
// the first works in the information-and-advocacy unit, the second in the economic unit, the third in
// both: the advocacy work is recorded by the first and the third.
export const PROVINCES = ['32', '33', '35', '52', '53', '61', '73'] as const;

export interface SeedPlan {
  readonly villages: readonly string[];
  readonly officers: readonly Officer[];
  readonly supervisors: readonly { readonly id: string; readonly province: string }[];
  readonly agencies: readonly Step[];
  /** Each a sequence of steps on one item (a placement, a case, a report), run in order. */
  readonly scripts: readonly Script[];
}

export interface Officer {
  readonly id: string;
  readonly village: string;
  readonly units: readonly Unit[];
}

export type Unit = 'info_advocacy' | 'economic';

/** The units of the k-th officer of a village, from their id (`officer-<village>-<k>`). */
export function unitsOfOfficer(id: string): readonly Unit[] {
  const k = id.split('-')[2];
  return k === '1' ? ['info_advocacy'] : k === '2' ? ['economic'] : ['info_advocacy', 'economic'];
}

/** Who acts: an officer of the item's village, its province's supervisor, or the administrator. */
export type Actor = { readonly officer: string } | { readonly supervisor: string } | 'admin';

export interface Step {
  readonly actor: Actor;
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** When it happened (X-Occurred-At); absent for reference data. */
  readonly at?: string;
  /** A field of the response to remember, as {name} in later paths of the same script. */
  readonly capture?: string;
}

export interface Script {
  readonly kind: 'placement' | 'case' | 'prevention' | 'community' | 'enquiry';
  readonly steps: readonly Step[];
}

const DAY = 86_400_000;
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const uuid = (r: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(r() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
const date = (t: number): string => new Date(t).toISOString().slice(0, 10);
const instant = (t: number): string => new Date(t).toISOString();
/** The recruitment permit (SIP2MI) number of the i-th company for a destination. */
const permitNumber = (i: number, country: string): string => `SIP2MI ${country}-${200 + i}/2025`;
/** A P3MI job order's company and the permit it recruits under. */
const p3mi = (i: number, agencyIds: readonly string[], country: string) => ({
  agencyId: agencyIds[i]!,
  recruitmentPermitNumber: permitNumber(i, country),
});

const DESTINATIONS = [
  { country: 'MY', sector: 'plantation', position: 'harvester', scheme: 'P3MI' },
  { country: 'TW', sector: 'manufacturing', position: 'machine operator', scheme: 'P3MI' },
  { country: 'HK', sector: 'domestic_individual_employer', position: 'domestic worker', scheme: 'P3MI' },
  { country: 'SG', sector: 'caregiver', position: 'caregiver', scheme: 'P3MI' },
  { country: 'KR', sector: 'manufacturing', position: 'production operator', scheme: 'G2G' },
] as const;
const CASE_CATEGORIES = [
  'unpaid_wages',
  'unpaid_wages',
  'lost_contact',
  'wants_repatriation',
  'work_not_matching_contract',
  'ill',
  'employer_violence',
  'overcharged_fees',
  'failed_to_depart',
  'trafficking',
];
const CASE_COUNTRIES = ['MY', 'MY', 'SA', 'TW', 'HK', 'SG', 'AE'];
const FLAGS = [
  'tourist_visa_for_work',
  'umrah_visa_for_work',
  'unlicensed_recruiter',
  'upfront_payment',
  'village_head_not_informed',
  'transit_route',
  'scam_centre_destination',
];
const DOCUMENTS = [
  'health_certificate',
  'competency_certificate',
  'placement_agreement',
  'family_permission',
  'marital_status_letter',
  'social_security_card',
  'passport',
  'work_visa',
  'employment_contract',
  'orientation_certificate',
] as const;

/** The program for a seed and scale, dated to end at `now`. */
export function seedPlan(options: { readonly scale: number; readonly seed: number; readonly now: Date }): SeedPlan {
  const r = seededRandom(options.seed);
  const now = options.now.getTime();
  const start = now - 730 * DAY;
  const villagesPerProvince = Math.max(1, Math.round(7 * options.scale));
  const villages = PROVINCES.flatMap((p, pi) =>
    Array.from(
      { length: villagesPerProvince },
      (_, i) => `${p}${String(1 + (i % 9)).padStart(2, '0')}${String(10 + pi).padStart(2, '0')}${String(2001 + i).padStart(4, '0')}`,
    ),
  );
  const officers = villages.flatMap((village) =>
    [1, 2, 3].map((k) => ({ id: `officer-${village}-${k}`, village, units: unitsOfOfficer(`officer-${village}-${k}`) })),
  );
  const supervisors = PROVINCES.map((province) => ({ id: `supervisor-${province}`, province }));
  const agencyIds = Array.from({ length: 8 }, () => uuid(r));
  const agencies: Step[] = agencyIds.map((agencyId, i) => ({
    actor: 'admin',
    path: '/agencies',
    body: {
      agencyId,
      name: `PT Penempatan Sejahtera ${i + 1}`,
      licenceNumber: `SIP3MI ${100 + i}/2023`,
      validFrom: date(start - 365 * DAY),
      validUntil: date(now + 3 * 365 * DAY),
    },
  }));
  // Each company's recruitment permit (SIP2MI) for every destination it recruits for.
  for (const [i, agencyId] of agencyIds.entries()) {
    for (const d of DESTINATIONS.filter((d) => d.scheme === 'P3MI')) {
      agencies.push({
        actor: 'admin',
        path: `/agencies/${agencyId}/recruitment-permits`,
        body: {
          permitNumber: permitNumber(i, d.country),
          destinationCountry: d.country,
          validFrom: date(start - 365 * DAY),
          validUntil: date(now + 3 * 365 * DAY),
        },
      });
    }
  }
  const workers = Math.max(PROVINCES.length, Math.round(8_000 * options.scale));
  let serial = 0;
  const nik = (village: string) =>
    `${village.slice(0, 6)}${String(options.seed % 100).padStart(2, '0')}${String(++serial).padStart(8, '0')}`;
  const birthDate = () => date(now - (20 + Math.floor(r() * 20)) * 365 * DAY - Math.floor(r() * 300) * DAY);
  const scripts: Script[] = [];

  for (let w = 0; w < workers; w++) {
    const village = pick(r, villages);
    // Advocacy work is the information-and-advocacy unit's: the village's first or third officer.
    const officer = { officer: `officer-${village}-${r() < 0.5 ? 1 : 3}` };
    const supervisor = { supervisor: `supervisor-${village.slice(0, 2)}` };
    const roll = r();
    // Spread over the two years, a little denser in the second (the program grew).
    const t0 = start + Math.floor(Math.sqrt(r()) * 720) * DAY + Math.floor(r() * 8 * 3_600_000) + 2 * 3_600_000;
    if (roll < 0.7) scripts.push(placement(r, { village, officer, t0, now, nik: nik(village), birthDate: birthDate(), agencyIds }));
    else if (roll < 0.8) scripts.push(accompaniment(r, { village, officer, supervisor, t0, now }));
    else if (roll < 0.86) scripts.push(prevention(r, { village, officer, t0, now, nik: nik(village), birthDate: birthDate() }));
  }
  for (const village of villages) scripts.push(...communityWork(r, { village, start, now, scale: options.scale }));
  return { villages, officers, supervisors, agencies, scripts };
}

/**
 * A village's community (formed, members registered and joining, some leaving, sessions naming members
 * who attended) as one script in time order, and its enquiries each as a script of their own.
 */
function communityWork(r: () => number, c: { village: string; start: number; now: number; scale: number }): Script[] {
  const span = c.now - c.start;
  const formed = c.start + Math.floor(r() * 90) * DAY + 3 * 3_600_000;
  const communityId = uuid(r);
  const officer = { officer: `officer-${c.village}-3` };
  const info = () => ({ officer: `officer-${c.village}-${r() < 0.5 ? 1 : 3}` });
  const timed: { t: number; step: Step }[] = [];
  const at = (t: number, actor: Actor, path: string, body: Record<string, unknown>) => {
    if (t <= c.now - 3_600_000) timed.push({ t, step: { actor, path, body, at: instant(t) } });
  };
  at(formed, officer, '/communities', { communityId, areaCode: c.village, name: `KKBM ${c.village}`, formedOn: date(formed) });
  const members: { id: string; joined: number }[] = [];
  for (let m = 0; m < Math.max(2, Math.round(40 * c.scale)); m++) {
    const joined = formed + DAY + Math.floor(r() * ((c.now - formed) / DAY - 2)) * DAY;
    const subjectId = uuid(r);
    at(joined, officer, '/subjects', { subjectId, kind: 'worker', areaCode: c.village, consentBasis: 'consent', name: 'Anggota Contoh' });
    at(joined + 60_000, officer, `/communities/${communityId}/members`, { subjectId, relation: pick(r, RELATIONS), on: date(joined) });
    if (r() < 0.1) {
      const left = joined + (30 + Math.floor(r() * 300)) * DAY;
      at(left, officer, `/communities/${communityId}/members/${subjectId}/leaving`, { reason: 'pindah domisili', on: date(left) });
    }
    members.push({ id: subjectId, joined });
  }
  const sessions = Math.max(1, Math.round(48 * c.scale));
  for (let s = 0; s < sessions; s++) {
    const held = c.start + Math.floor(r() * (span / DAY - 1)) * DAY + 9 * 3_600_000;
    const present = members.filter((m) => m.joined + 120_000 < held).slice(0, Math.floor(r() * 6));
    const topics = [...new Set([pick(r, SEED_TOPICS), pick(r, SEED_TOPICS)])];
    at(held, info(), '/sessions', {
      sessionId: uuid(r),
      areaCode: c.village,
      heldOn: date(held),
      place: 'Balai desa',
      topics,
      peopleReached: present.length + 10 + Math.floor(r() * 50),
      attendees: present.map((m) => m.id),
    });
  }
  // The economic unit's work, by the village's economic officer, on the members' businesses.
  const economic = { officer: `officer-${c.village}-2` };
  const groupId = uuid(r);
  const groupFormed = formed + (30 + Math.floor(r() * 60)) * DAY;
  at(groupFormed, economic, '/business-groups', {
    groupId,
    areaCode: c.village,
    name: `KUB ${c.village}`,
    formedOn: date(groupFormed),
    legalStatus: 'informal',
  });
  if (r() < 0.35) {
    const registered = groupFormed + (60 + Math.floor(r() * 200)) * DAY;
    at(registered, economic, `/business-groups/${groupId}/cooperative`, { registrationNumber: `AHU-${c.village}`, on: date(registered) });
  }
  const owners = members.slice(0, Math.max(1, Math.round(10 * c.scale)));
  for (const owner of owners) {
    const businessId = uuid(r);
    const started = owner.joined + (1 + Math.floor(r() * 60)) * DAY;
    at(started, economic, '/businesses', {
      businessId,
      areaCode: c.village,
      name: 'Usaha Anggota',
      sector: pick(r, BUSINESS_SECTORS),
      startedOn: date(started),
      owners: [owner.id],
    });
    at(started + 60_000, economic, `/business-groups/${groupId}/members`, {
      subjectId: owner.id,
      on: date(Math.max(started, groupFormed)),
    });
    // Each month that is over, reported early in the next one (most months).
    const first = new Date(started);
    for (let m = 1; ; m++) {
      const month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m - 1, 1));
      const reported = Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 3, 2);
      if (reported > c.now - 3_600_000) break;
      if (r() < 0.75)
        at(reported, economic, `/businesses/${businessId}/volumes`, {
          month: month.toISOString().slice(0, 7),
          turnover: 500_000 + Math.floor(r() * 40) * 250_000,
          employed: 1 + Math.floor(r() * 4),
        });
    }
    if (r() < 0.1) {
      const closed = started + (120 + Math.floor(r() * 300)) * DAY;
      at(closed, economic, `/businesses/${businessId}/status`, {
        status: 'closed',
        on: date(closed),
        reason: 'pemilik bekerja ke luar negeri',
      });
    }
    if (r() < 0.35) {
      const kurId = uuid(r);
      const applied = started + (20 + Math.floor(r() * 200)) * DAY;
      const amount = (5 + Math.floor(r() * 20)) * 1_000_000;
      at(applied, economic, '/kur', {
        kurId,
        areaCode: c.village,
        applicantSubjectId: owner.id,
        businessId,
        bank: pick(r, ['BRI', 'BNI', 'Mandiri']),
        scheme: 'micro',
        amountRequested: amount,
        appliedOn: date(applied),
      });
      const decided = applied + (7 + Math.floor(r() * 20)) * DAY;
      if (r() < 0.75) {
        at(decided, economic, `/kur/${kurId}/approval`, { amount, on: date(decided) });
        at(decided + 5 * DAY, economic, `/kur/${kurId}/disbursement`, { amount, on: date(decided + 5 * DAY) });
        if (r() < 0.2) at(decided + 70 * DAY, economic, `/kur/${kurId}/repayment`, { status: 'late', on: date(decided + 70 * DAY) });
      } else at(decided, economic, `/kur/${kurId}/refusal`, { reason: 'agunan belum cukup', on: date(decided) });
    }
    const consulted = started + (30 + Math.floor(r() * 300)) * DAY;
    at(consulted, economic, '/consultations', {
      consultationId: uuid(r),
      areaCode: c.village,
      heldOn: date(consulted),
      agency: pick(r, ['cooperative_office', 'bank', 'vocational_training_centre', 'university'] as const),
      topic: pick(r, ['business_plan', 'credit_access', 'marketing', 'bookkeeping'] as const),
      businesses: [businessId],
    });
  }
  timed.sort((a, b) => a.t - b.t);
  const scripts: Script[] = [{ kind: 'community', steps: timed.map((x) => x.step) }];
  for (let q = 0; q < Math.max(1, Math.round(72 * c.scale)); q++) {
    const received = c.start + Math.floor(r() * (span / DAY - 1)) * DAY + 10 * 3_600_000;
    if (received > c.now - 3_600_000) continue;
    const referred = r() < 0.1;
    scripts.push({
      kind: 'enquiry',
      steps: [
        {
          actor: info(),
          path: '/enquiries',
          at: instant(received),
          body: {
            enquiryId: uuid(r),
            areaCode: c.village,
            receivedOn: date(received),
            channel: pick(r, ENQUIRY_CHANNELS),
            topic: pick(r, SEED_TOPICS),
            outcome: referred ? 'referred' : 'answered',
            ...(referred ? { referral: { to: 'prevention', destinationCountry: 'MY' } } : {}),
          },
        },
      ],
    });
  }
  return scripts;
}

interface ItemContext {
  readonly village: string;
  readonly officer: { readonly officer: string };
  readonly t0: number;
  readonly now: number;
}

/** Registration, documents, each step a few days apart; a step that would fall after today is not taken. */
function placement(r: () => number, c: ItemContext & { nik: string; birthDate: string; agencyIds: readonly string[] }): Script {
  const id = uuid(r);
  const steps: Step[] = [];
  let t = c.t0;
  const add = (path: string, body: Record<string, unknown>, gapDays: number): boolean => {
    t += gapDays * DAY;
    if (t > c.now - 3_600_000) return false;
    steps.push({ actor: c.officer, path, body: { ...body, on: date(t) }, at: instant(t) });
    return true;
  };
  add(
    '/placements',
    {
      placementId: id,
      areaCode: c.village,
      worker: { name: 'Pekerja Contoh', nik: c.nik, birthDate: c.birthDate, sex: r() < 0.7 ? 'F' : 'M' },
    },
    0,
  );
  const fate = r();
  if (fate < 0.08) {
    add(`/placements/${id}/withdrawal`, { reason: 'decided to stay in the village' }, 3 + Math.floor(r() * 20));
    return { kind: 'placement', steps };
  }
  const destination = pick(r, DESTINATIONS);
  const docs = Object.fromEntries(DOCUMENTS.map((kind) => [kind, uuid(r)])) as Record<(typeof DOCUMENTS)[number], string>;
  const issued = (gap: number) => date(t + gap * DAY);
  for (const kind of DOCUMENTS.slice(0, 6)) {
    if (
      !add(
        `/placements/${id}/documents`,
        {
          documentId: docs[kind],
          kind,
          number: `${kind.slice(0, 2).toUpperCase()}-${docs[kind].slice(0, 8)}`,
          issuer: 'Dinas',
          issuedOn: issued(0),
          expiresOn: issued(900),
          ...(kind === 'health_certificate' ? { healthResult: 'fit' } : {}),
          ...(kind === 'family_permission' ? { acknowledgedByVillageHead: true } : {}),
        },
        1 + Math.floor(r() * 4),
      )
    )
      return { kind: 'placement', steps };
  }
  const jobOrder = `JO-${id.slice(0, 8)}`;
  if (
    !add(
      `/placements/${id}/job-order-selection`,
      {
        scheme: destination.scheme,
        ...(destination.scheme === 'P3MI' ? p3mi(Math.floor(r() * c.agencyIds.length), c.agencyIds, destination.country) : {}),
        jobOrderNumber: jobOrder,
        destinationCountry: destination.country,
        sector: destination.sector,
        position: destination.position,
        employerType: destination.sector === 'domestic_individual_employer' ? 'individual' : 'legal_entity',
      },
      3 + Math.floor(r() * 10),
    )
  )
    return { kind: 'placement', steps };
  if (fate < 0.2) {
    add(`/placements/${id}/departure-failure`, { reason: 'the employer cancelled the job order' }, 10 + Math.floor(r() * 30));
    return { kind: 'placement', steps };
  }
  const chain: [string, Record<string, unknown>, number][] = [
    [`/placements/${id}/medical-clearance`, { documentId: docs.health_certificate }, 2],
    [`/placements/${id}/competency-certification`, { documentId: docs.competency_certificate }, 5],
    [
      `/placements/${id}/placement-agreement`,
      {
        agreementDocumentId: docs.placement_agreement,
        familyPermissionDocumentId: docs.family_permission,
        maritalStatusDocumentId: docs.marital_status_letter,
        ltsa: 'LTSA Kabupaten',
      },
      4,
    ],
    [`/placements/${id}/social-security-enrollment`, { documentId: docs.social_security_card }, 3],
  ];
  for (const [path, body, gap] of chain) if (!add(path, body, gap + Math.floor(r() * 5))) return { kind: 'placement', steps };
  for (const kind of DOCUMENTS.slice(6)) {
    if (
      !add(
        `/placements/${id}/documents`,
        {
          documentId: docs[kind],
          kind,
          number: `${kind.slice(0, 2).toUpperCase()}-${docs[kind].slice(0, 8)}`,
          issuer: kind === 'passport' ? 'Kantor Imigrasi' : 'Issuer',
          issuedOn: issued(0),
          expiresOn: issued(1_000),
          ...(kind === 'employment_contract' ? { jobOrderNumber: jobOrder } : {}),
        },
        2 + Math.floor(r() * 6),
      )
    )
      return { kind: 'placement', steps };
  }
  const rest: [string, Record<string, unknown>, number][] = [
    [
      `/placements/${id}/documents-completion`,
      { passportDocumentId: docs.passport, visaDocumentId: docs.work_visa, contractDocumentId: docs.employment_contract },
      3,
    ],
    [`/placements/${id}/orientation`, { documentId: docs.orientation_certificate, place: 'BP3MI' }, 4],
    [`/placements/${id}/departure`, { route: `CGK-${destination.country}` }, 5],
    [`/placements/${id}/arrival-report`, { mission: `KBRI ${destination.country}` }, 2],
  ];
  for (const [path, body, gap] of rest) if (!add(path, body, gap + Math.floor(r() * 7))) return { kind: 'placement', steps };
  if (r() < 0.15) add(`/placements/${id}/return`, { note: 'contract completed' }, 300 + Math.floor(r() * 300));
  return { kind: 'placement', steps };
}

/** Intake, verification, classification, actions; most resolved, most of those closed by the supervisor. */
function accompaniment(r: () => number, c: ItemContext & { supervisor: { supervisor: string } }): Script {
  const id = uuid(r);
  const steps: Step[] = [];
  let t = c.t0;
  const add = (actor: Actor, path: string, body: Record<string, unknown>, gapHours: number, capture?: string): boolean => {
    t += gapHours * 3_600_000;
    if (t > c.now - 3_600_000) return false;
    steps.push({ actor, path, body, at: instant(t), ...(capture ? { capture } : {}) });
    return true;
  };
  const categories = [...new Set([pick(r, CASE_CATEGORIES), ...(r() < 0.3 ? [pick(r, CASE_CATEGORIES)] : [])])];
  const self = r() < 0.4;
  add(
    c.officer,
    '/cases',
    {
      caseId: id,
      areaCode: c.village,
      channel: pick(r, ['walk_in', 'hotline', 'family_report', 'referral']),
      categories,
      worker: { name: 'Pekerja Contoh' },
      ...(self ? {} : { complainant: { name: 'Keluarga Contoh' } }),
      relationship: self ? 'self' : 'parent',
      destinationCountry: pick(r, CASE_COUNTRIES),
      complaint: 'complaint received by the village unit',
    },
    0,
  );
  if (
    !add(
      c.officer,
      `/cases/${id}/verification`,
      { procedural: r() < 0.6 ? 'procedural' : r() < 0.85 ? 'non_procedural' : 'unknown' },
      4 + r() * 40,
    )
  )
    return { kind: 'case', steps };
  if (!add(c.officer, `/cases/${id}/classification`, { urgency: pick(r, ['critical', 'high', 'normal', 'normal', 'low']) }, 1 + r() * 10))
    return { kind: 'case', steps };
  if (r() < 0.1) return { kind: 'case', steps }; // waiting for a first action
  if (!add(c.officer, `/cases/${id}/actions`, { kind: 'mediation', note: 'mediation with the agency' }, 6 + r() * 60, 'actionId'))
    return { kind: 'case', steps };
  if (!add(c.officer, `/cases/${id}/notes`, { text: 'followed up by phone' }, 24 + r() * 200)) return { kind: 'case', steps };
  // Slow and uneven: about 55% resolved (as in 2021), after days to months.
  if (r() < 0.45) return { kind: 'case', steps };
  if (!add(c.officer, `/cases/${id}/actions/{actionId}/outcome`, { outcome: 'completed' }, 24 + r() * 24 * 60))
    return { kind: 'case', steps };
  const outcome = pick(r, ['wages_recovered', 'repatriated', 'compensation_paid', 'referred_on', 'no_outcome']);
  const money = outcome === 'wages_recovered' || outcome === 'compensation_paid';
  if (
    !add(
      c.officer,
      `/cases/${id}/resolution`,
      { outcome, ...(money ? { amountRecovered: 1_000_000 * (1 + Math.floor(r() * 40)) } : {}) },
      1 + r() * 24 * 20,
    )
  )
    return { kind: 'case', steps };
  if (r() < 0.8) add(c.supervisor, `/cases/${id}/closure-approval`, {}, 24 + r() * 24 * 14);
  return { kind: 'case', steps };
}

/** A report with a flag or two, verified; interventions; an outcome for most. */
function prevention(r: () => number, c: ItemContext & { nik: string; birthDate: string }): Script {
  const id = uuid(r);
  const steps: Step[] = [];
  let t = c.t0;
  const add = (path: string, body: Record<string, unknown>, gapHours: number, capture?: string): boolean => {
    t += gapHours * 3_600_000;
    if (t > c.now - 3_600_000) return false;
    steps.push({ actor: c.officer, path, body, at: instant(t), ...(capture ? { capture } : {}) });
    return true;
  };
  add(
    '/preventions',
    {
      preventionId: id,
      areaCode: c.village,
      source: pick(r, ['community_report', 'family', 'village_official', 'officer_observation', 'hotline']),
      person: { name: 'Calon Pekerja', nik: c.nik, birthDate: c.birthDate },
      destinationCountry: pick(r, ['MY', 'SA', 'KH', 'AE']),
      description: 'sponsor recruiting in the village',
    },
    0,
  );
  if (!add(`/preventions/${id}/flags`, { flag: pick(r, FLAGS), evidence: 'seen by the officer' }, 2 + r() * 48, 'flagId'))
    return { kind: 'prevention', steps };
  const real = r() < 0.75;
  if (real) {
    if (!add(`/preventions/${id}/flags/{flagId}/confirmation`, {}, 4 + r() * 72)) return { kind: 'prevention', steps };
    if (!add(`/preventions/${id}/verification`, { result: 'confirmed' }, 1 + r() * 24)) return { kind: 'prevention', steps };
  } else {
    add(`/preventions/${id}/verification`, { result: 'dismissed', reason: 'a legal placement was already under way' }, 4 + r() * 72);
    return { kind: 'prevention', steps };
  }
  if (!add(`/preventions/${id}/interventions`, { kind: 'family_counselling', note: 'met the family' }, 2 + r() * 48))
    return { kind: 'prevention', steps };
  if (r() < 0.4 && !add(`/preventions/${id}/interventions`, { kind: 'passport_deferral_requested' }, 2 + r() * 48))
    return { kind: 'prevention', steps };
  if (r() < 0.15) return { kind: 'prevention', steps };
  const outcome = pick(r, [
    'redirected_to_legal_placement',
    'redirected_to_legal_placement',
    'departed_non_procedurally',
    'referred_to_police',
    'unresolved',
  ]);
  add(`/preventions/${id}/outcome`, { outcome }, 24 + r() * 24 * 30);
  return { kind: 'prevention', steps };
}
