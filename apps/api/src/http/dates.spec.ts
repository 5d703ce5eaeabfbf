import { BodyRefused, guardBody } from './body-guard';
import { isCalendarDate, isDateOrInstant } from './dates';

describe('real dates and instants', () => {
  it.each(['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts the day %s', (d) =>
    expect(isCalendarDate(d)).toBe(true),
  );
  it.each(['2026-02-30', '2026-02-29', '1900-02-29', '0000-00-00', '2026-13-01', '2026-04-31', '2026-1-1', '20260101', ''])(
    'refuses %j',
    (d) => expect(isCalendarDate(d)).toBe(false),
  );
  it.each(['2026-03-01', '2026-03-01T09:30Z', '2026-03-01T09:30:15.123+07:00', '2026-03-01T23:59:59-14:00'])(
    'accepts the instant %s',
    (d) => expect(isDateOrInstant(d)).toBe(true),
  );
  it.each([
    '2026-02-30T10:00:00+07:00',
    '2026-01-01T25:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:00+99:99',
    '2026-01-01T10:00:00+14:30',
    '2026-01-01T10:00',
  ])('refuses the instant %j', (d) => expect(isDateOrInstant(d)).toBe(false));
});

describe('the body guard', () => {
  const guard = (text: string) => guardBody(undefined, undefined, Buffer.from(text));
  const refusal = (text: string): BodyRefused | undefined => {
    try {
      guard(text);
    } catch (error) {
      return error as BodyRefused;
    }
    return undefined;
  };

  it('lets ordinary bodies through, brackets and colons inside strings included', () => {
    expect(refusal('{"a":{"b":[1,2,{"c":"x:y]]]}}}{{{"}]},"d":"\\"quoted\\" [ {"}')).toBeUndefined();
  });

  it('refuses nesting deeper than 32, more than 2,000 fields or 10,000 items', () => {
    expect(refusal(`${'['.repeat(33)}${']'.repeat(33)}`)?.type).toBe('entity.too.complex');
    expect(refusal(`${'['.repeat(32)}${']'.repeat(32)}`)).toBeUndefined();
    expect(refusal(`{${Array.from({ length: 2_001 }, (_, i) => `"k${i}":1`).join(',')}}`)?.type).toBe('entity.too.complex');
    expect(refusal(`[${Array.from({ length: 10_002 }, () => '1').join(',')}]`)?.type).toBe('entity.too.complex');
  });

  it('refuses the keys JavaScript treats specially, and only as keys', () => {
    expect(refusal('{"__proto__":{"admin":true}}')).toMatchObject({ type: 'entity.field.forbidden', field: '__proto__' });
    expect(refusal('{"a":{"constructor":1}}')).toMatchObject({ field: 'constructor' });
    expect(refusal('{"note":"__proto__"}')).toBeUndefined();
  });

  it('refuses a lone surrogate, naming its field, and bytes that are not UTF-8; lets a pair through', () => {
    expect(refusal('{"a":{"b":["x","\\ud800"]}}')).toMatchObject({ type: 'entity.text.invalid', field: 'a.b[1]' });
    expect(refusal('{"\\udfff":1}')).toMatchObject({ type: 'entity.text.invalid', field: '\udfff' });
    expect(refusal('"\\ud800"')).toMatchObject({ type: 'entity.text.invalid', field: '(body)' });
    expect(refusal('{"a":"\\ud83d\\udea2"}')).toBeUndefined();
    expect(refusal('{"a":"\\\\ud800"}')).toBeUndefined(); // an escaped backslash, then plain text
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(refusal(bytes as unknown as string)).toMatchObject({ type: 'entity.text.invalid', field: undefined });
  });
});
