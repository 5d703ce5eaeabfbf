import type { Decider, Envelope, ErrorKind } from '@jejak/kernel';

/** A command as a spec writes it: the envelope may be left to the specification's default. */
export type SpecCommand<Command> = Command extends unknown ? Omit<Command, keyof Envelope> & Partial<Envelope> : never;

/**
 * Given / when / then for a decider, after Emmett's DeciderSpecification (event-driven-io/emmett): the
 * history is events, the command is run through `decide` on their fold, and the outcome is asserted
 * whole: every event with all its data, or the refusal's code (and kind). One scenario per `it`.
 *
 *   const spec = DeciderSpecification.for(subjectDecider, { by: 'officer-1', at, today: '2026-11-20' });
 *   it('...', () => spec.given([registered]).when(erase).then([erased]));
 *
 * The envelope given to `for` is every command's unless the command names its own `by`, `at` or `today`.
 */
export const DeciderSpecification = {
  for<State, Command, Event extends { readonly type: string }>(decider: Decider<State, Command, Event>, envelope?: Envelope) {
    const issued = (command: Command | SpecCommand<Command>): Command => ({ ...envelope, ...command }) as Command;
    const after = (history: readonly Event[], commands: readonly (Command | SpecCommand<Command>)[]): Event[] => {
      const events = [...history];
      let state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      for (const command of commands) {
        const decided = decider.decide(issued(command), state);
        state = decided.reduce((s, e) => decider.evolve(s, e), state);
        events.push(...decided);
      }
      return events;
    };
    return {
      /**
       * The events these commands decide, one after another from the start: a history to give, written
       * as the steps people took. Any refusal on the way fails the spec where it happens.
       */
      history(...commands: readonly (Command | SpecCommand<Command>)[]): Event[] {
        return after([], commands);
      },
      given(history: readonly Event[]) {
        const state = (): State => history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
        return {
          /** The state the history folds to, for assertions on `evolve`. */
          state,
          /** This history, then the events these commands decide after it: a longer history to give. */
          followedBy(...commands: readonly (Command | SpecCommand<Command>)[]): Event[] {
            return after(history, commands);
          },
          when(command: Command | SpecCommand<Command>) {
            const run = (): readonly Event[] => decider.decide(issued(command), state());
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
