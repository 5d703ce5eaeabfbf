import { formatScope, parseScope, scopeCovers } from './territory';

describe('territorial scopes', () => {
  it.each([
    ['national', { level: 'national' }],
    ['province:32', { level: 'province', code: '32' }],
    ['regency:3201', { level: 'regency', code: '3201' }],
    ['district:320101', { level: 'district', code: '320101' }],
    ['village:3201012001', { level: 'village', code: '3201012001' }],
  ])('parses and formats %s', (text, scope) => {
    expect(parseScope(text)).toEqual(scope);
    expect(formatScope(parseScope(text)!)).toBe(text);
  });

  it.each(['', 'village:32', 'province:320', 'planet:3', 'village:32.01.01.2001', 'national:1', 'province:3a'])('refuses %j', (text) =>
    expect(parseScope(text)).toBeUndefined(),
  );

  it('covers an area by administrative code prefix', () => {
    expect(scopeCovers({ level: 'province', code: '32' }, '3201012001')).toBe(true);
    expect(scopeCovers({ level: 'province', code: '33' }, '3201012001')).toBe(false);
    expect(scopeCovers({ level: 'village', code: '3201012001' }, '3201012001')).toBe(true);
    expect(scopeCovers({ level: 'village', code: '3201012001' }, '3201012002')).toBe(false);
    expect(scopeCovers({ level: 'national' }, '9999')).toBe(true);
  });
});
