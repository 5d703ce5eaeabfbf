import type { Decider } from '@jejak/kernel';

import { DeciderSpecification } from './decider-specification';

type Counted = { type: 'Counted'; data: { by: number } };
class TooMany extends Error {
  readonly code = 'TOO_MANY';
  readonly kind = 'conflict';
}
const counter: Decider<number, { type: 'Count'; by: number }, Counted> = {
  initialState: 0,
  evolve: (n, e) => n + e.data.by,
  decide: (c, n) => {
    if (n + c.by > 3) throw new TooMany('at most 3');
    return c.by === 0 ? [] : [{ type: 'Counted', data: { by: c.by } }];
  },
};
const spec = DeciderSpecification.for(counter);
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('DeciderSpecification', () => {
  it('passes when the decided events equal the expected ones, data included', () =>
    spec
      .given([counted(1)])
      .when({ type: 'Count', by: 2 })
      .then([counted(2)]));

  it('fails when an event differs in its data', () =>
    expect(() =>
      spec
        .given([])
        .when({ type: 'Count', by: 2 })
        .then([counted(1)]),
    ).toThrow());

  it('passes on the refusal it names, and fails on another code or kind', () => {
    spec
      .given([counted(3)])
      .when({ type: 'Count', by: 1 })
      .thenThrows('TOO_MANY', 'conflict');
    expect(() =>
      spec
        .given([counted(3)])
        .when({ type: 'Count', by: 1 })
        .thenThrows('OTHER'),
    ).toThrow();
    expect(() =>
      spec
        .given([counted(3)])
        .when({ type: 'Count', by: 1 })
        .thenThrows('TOO_MANY', 'not_found'),
    ).toThrow();
  });

  it('fails thenThrows when the command is accepted', () =>
    expect(() => spec.given([]).when({ type: 'Count', by: 1 }).thenThrows('TOO_MANY')).toThrow());

  it('folds the history, and the events decided, for state assertions', () =>
    spec
      .given([counted(1), counted(1)])
      .when({ type: 'Count', by: 1 })
      .thenState((after, events) => {
        expect(events).toEqual([counted(1)]);
        expect(after).toBe(3);
      }));

  it('tells a command that changes nothing from one that does', () => {
    spec.given([]).when({ type: 'Count', by: 0 }).thenNothingHappens();
    expect(() => spec.given([]).when({ type: 'Count', by: 1 }).thenNothingHappens()).toThrow();
  });
});
