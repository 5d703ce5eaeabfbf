/**
 * The officer mix, shared by `npm run bench -- http` and `npm run soak`: each client is an officer working on
 * records of their own (no conflicts), in a fixed cycle of 20 requests in the mix's proportions.
 */
export const VILLAGE = '3201012001';
export type Kind = 'create' | 'step' | 'read' | 'list' | 'worklist';
export const MIX: readonly [Kind, number][] = [
  ['create', 10],
  ['step', 40],
  ['read', 25],
  ['list', 15],
  ['worklist', 10],
];

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

let nikCounter = 0;
const nik = () => `3201014509${String(100000 + (++nikCounter % 900000)).slice(-6)}`;
export const bodies = {
  case: (i: number) => ({
    areaCode: VILLAGE,
    channel: 'walk_in',
    categories: ['unpaid_wages'],
    worker: { name: `Pekerja ${i}` },
    relationship: 'self',
    destinationCountry: 'MY',
    complaint: 'gaji belum dibayar',
  }),
  placement: (i: number) => ({ areaCode: VILLAGE, worker: { name: `Calon Pekerja ${i}`, nik: nik(), birthDate: '1998-01-05' } }),
  prevention: (i: number) => ({
    areaCode: VILLAGE,
    source: 'family',
    person: { name: `Warga ${i}`, birthDate: '1999-03-04' },
    destinationCountry: 'MY',
    description: 'sponsor menawarkan kerja tanpa prosedur',
  }),
};
export const stepOf = {
  cases: (i: number) => ['notes', { text: `catatan kunjungan ${i}` }] as const,
  placements: (i: number) =>
    [
      'documents',
      { kind: 'passport', number: `X${String(1000000 + i)}`, issuer: 'Kantor Imigrasi Bogor', issuedOn: '2026-01-15' },
    ] as const,
  preventions: (i: number) => ['interventions', { kind: 'family_counselling', note: `kunjungan keluarga ${i}` }] as const,
};
export type RecordKind = keyof typeof stepOf;
export const KINDS: readonly RecordKind[] = ['cases', 'placements', 'preventions'];

/** The kind of a client's i-th request: a fixed cycle of 20 in the mix's proportions, offset per client. */
export function kindAt(client: number, i: number): Kind {
  const slot = (i + client * 7) % 20;
  let acc = 0;
  return MIX.find(([, w]) => (acc += w / 5) > slot)![0];
}
