import type { Decider, ErrorKind } from '@jejak/kernel';

/**
 * Given / when / then for a decider, after Emmett's DeciderSpecification (event-driven-io/emmett): the
 * history is events, the command is run through `decide` on their fold, and the outcome is asserted
 * whole: every event with all its data, or the refusal's code (and kind). One scenario per `it`.
 *
 *   const spec = DeciderSpecification.for(subjectDecider);
 *   it('...', () => spec.given([registered]).when(erase).then([erased]));
 */
export const DeciderSpecification = {
  for<State, Command, Event extends { readonly type: string }>(decider: Decider<State, Command, Event>) {
    return {
      given(history: readonly Event[]) {
        const state = (): State => history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
        return {
          /** The state the history folds to, for assertions on `evolve`. */
          state,
          when(command: Command) {
            const run = (): readonly Event[] => decider.decide(command, state());
            return {
              /** Exactly these events, in order, each equal in type and data. */
              then(expected: readonly Event[]): void {
                expect(run()).toEqual(expected);
              },
              /** No event: the command changes nothing (a repeat, an erasure of the erased). */
              thenNothingHappens(): void {
                expect(run()).toEqual([]);
              },
              /** The events decided, and the state they lead to, for one assertion on both. */
              thenState(check: (after: State, events: readonly Event[]) => void): void {
                const events = run();
                check(
                  events.reduce((s, e) => decider.evolve(s, e), state()),
                  events,
                );
              },
              /** A refusal with this code (and kind, when given); nothing decided. */
              thenThrows(code: string, kind?: ErrorKind): void {
                let caught: unknown;
                let decided: readonly Event[] | undefined;
                try {
                  decided = run();
                } catch (error) {
                  caught = error;
                }
                expect(decided).toBeUndefined();
                expect(caught).toMatchObject(kind ? { code, kind } : { code });
              },
            };
          },
        };
      },
    };
  },
};
