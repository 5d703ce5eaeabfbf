/**
 * Province codes (Kemendagri) that open a NIK. 91-97 cover Papua before and after the 2022 split,
 * since NIKs issued under the old codes stay valid.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '21',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '51',
  '52',
  '53',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '81',
  '82',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
]);

/** Why a NIK is malformed, or undefined when it is well-formed. Never echoes the NIK itself. */
export function nikProblem(nik: string): string | undefined {
  if (!/^\d{16}$/.test(nik)) return 'must be 16 digits';
  if (!PROVINCE_CODES.has(nik.slice(0, 2))) return 'must start with a valid province code';
  return undefined;
}
