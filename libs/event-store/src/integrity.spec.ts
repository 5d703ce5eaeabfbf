/**
 * Canonical JSON is what every event's MAC and every case file's signature are computed over: a change in
 * one byte of its output for any value would make every stored MAC fail verification. These tests hold it
 * to its definition (object keys sorted, no whitespace, JSON.stringify's spelling of each scalar), and to
 * the first implementation's output over thousands of generated values.
 */
import { seededRandom } from '@jejak/kernel';

import { canonicalJson, eventMac } from './integrity';
import type { JsonValue } from './types';

/** The first implementation, kept as the reference: pieces collected in an array, joined at the end. */
function reference(value: JsonValue): string {
  const out: string[] = [];
  const write = (v: JsonValue): void => {
    if (v === null || typeof v !== 'object') out.push(JSON.stringify(v));
    else if (Array.isArray(v)) {
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(',');
        write(item);
      });
      out.push(']');
    } else {
      const keys = Object.keys(v).sort();
      out.push('{');
      keys.forEach((key, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(key), ':');
        write((v as Record<string, JsonValue>)[key]!);
      });
      out.push('}');
    }
  };
  write(value);
  return out.join('');
}

const ALPHABET = [
  'a',
  'b',
  'Z',
  '0',
  '_',
  '-',
  ' ',
  '"',
  '\\',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  'é',
  'ß',
  '中',
  '😀',
  '\u2028',
  '\ud800',
  '/',
];

function text(next: () => number, max: number): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function value(next: () => number, depth: number): JsonValue {
  const pick = next();
  if (depth <= 0 || pick < 0.45) {
    const scalar = Math.floor(next() * 7);
    if (scalar === 0) return null;
    if (scalar === 1) return next() < 0.5;
    if (scalar === 2) return Math.floor(next() * 2_000_000_000) - 1_000_000_000;
    if (scalar === 3) return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    if (scalar === 4) return -0;
    return text(next, scalar === 5 ? 4 : 90);
  }
  if (pick < 0.65) return Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth - 1));
  const object: Record<string, JsonValue> = {};
  const n = Math.floor(next() * 7);
  for (let i = 0; i < n; i++) {
    // Keys that repeat across values (as event fields do), long ones, and ones that look like indexes.
    const kind = next();
    const key =
      kind < 0.4
        ? ['id', 'type', 'note', 'sealed', 'amount'][Math.floor(next() * 5)]!
        : kind < 0.5
          ? String(Math.floor(next() * 20))
          : kind < 0.55
            ? 'k'.repeat(70) + text(next, 3)
            : text(next, 8);
    object[key] = value(next, depth - 1);
  }
  return object;
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x"y', { d: -0.5, c: 'é\n' }] })).toBe(
      '{"a":[true,null,"x\\"y",{"c":"é\\n","d":-0.5}],"b":1}',
    );
    expect(canonicalJson({ 10: 'ten', 9: 'nine', a: {} })).toBe('{"10":"ten","9":"nine","a":{}}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson('plain')).toBe('"plain"');
  });

  it('spells 5,000 generated values exactly as the first implementation did', () => {
    for (let seed = 1; seed <= 5_000; seed++) {
      const v = value(seededRandom(seed), 4);
      const got = canonicalJson(v);
      if (got !== reference(v)) throw new Error(`seed ${seed}: ${reference(v)} became ${got}`);
    }
    // Twice over the same values: the remembered key spellings change nothing.
    for (let seed = 1; seed <= 1_000; seed++) {
      const v = value(seededRandom(seed), 4);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('gives an event the MAC it had before (a fixed value computed with the first implementation)', () => {
    const key = Buffer.alloc(32, 7);
    const event = {
      id: '0b7f3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b',
      type: 'CaseNoteAdded',
      data: { noteId: 'n1', sealed: { text: 'pd1:abc' }, at: '2026-12-06T10:00:00.000Z', n: [1, 2.5, null] },
      metadata: { actorId: 'officer-1', role: 'officer', scope: ['village:3201012001'], schemaVersion: 1 },
    };
    expect(eventMac(key, 'case-1', event)).toBe(MAC_WITH_FIRST_IMPLEMENTATION);
  });
});

const MAC_WITH_FIRST_IMPLEMENTATION = 'ZfvrPMXJ-zy0lIuoJU1Ooa4SuYrDe4SrtCvJpb_CfyY';
