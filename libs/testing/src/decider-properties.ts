import { type Decider, type Envelope, isJejakError, localDay, type StoredEvent, type Unissued } from '@jejak/kernel';
import fc from 'fast-check';

/**
 * Random sequences of commands against one decider, checked after every step (issue 23's properties):
 *
 * - a refusal is a JejakError with a code (a rule, a missing record), never a TypeError or any other crash,
 *   and decides nothing: the state is deep-frozen before `decide`, so a decider that changed what it was
 *   given would fail here, not later in a cache;
 * - a decision is a function of the command and the state: deciding twice gives the same events;
 * - events survive being stored: the JSON round trip of the whole history, read back through the
 *   decider's upcaster as the store hands events over, folds to the very state the decider saw next;
 * - revisions are monotone and gapless: the history only grows, by the events decided, one revision each;
 * - a terminal state (a closed case) accepts only the commands the rules allow there;
 * - the decider's own invariants hold in every state reached.
 *
 * Coverage is part of the property: the sequences must get every command type accepted at least once, or
 * the generator tests refusals only. Shrinking gives the shortest sequence that breaks a property.
 */
export interface DeciderProperties<State, Command, Event extends { readonly type: string }> {
  readonly decider: Decider<State, Command, Event>;
  /**
   * Commands without their envelope, drawn from small pools of ids so that they meet one another; a function
   * of the envelope where a command names dates of its own (a step's day, no later than the envelope's).
   */
  readonly command: fc.Arbitrary<Drawn<Command>>;
  /** Who issues commands; the envelope's `by` is drawn from these. */
  readonly actors: readonly string[];
  /** The command types the sequences must get accepted at least once over all runs. */
  readonly commandTypes: readonly string[];
  /** A state that accepts only some commands (a closed case): those types. */
  readonly terminal?: { readonly is: (state: State) => boolean; readonly accepts: readonly string[] };
  /** Checks of a state reached and the events that led to it (throws or uses `expect`). */
  readonly invariant?: (state: State, history: readonly Event[]) => void;
  /** How long a sequence may be; runs. */
  readonly maxCommands?: number;
  readonly numRuns?: number;
  /**
   * How most sequences begin: the command that puts the record on file, or a path of several (the usual
   * workflow cut at a random step), so that the random commands after it also meet deep states.
   */
  readonly first?: fc.Arbitrary<Drawn<Command> | readonly Drawn<Command>[]>;
}

/** A command as drawn: whole, or built from the envelope it is issued in. */
export type Drawn<Command> = Unissued<Command> | ((envelope: Envelope) => Unissued<Command>);

/** What the runs did: accepted and refused commands by type, and the longest history. */
export interface DeciderRunStats {
  readonly accepted: Readonly<Record<string, number>>;
  readonly refused: Readonly<Record<string, number>>;
  readonly longestHistory: number;
}

const T0 = Date.parse('2026-01-05T01:00:00Z');
const jakartaDay = localDay('Asia/Jakarta');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const clone = <T>(value: T): T => structuredClone(value);

/** Events as the store hands them back: JSON, with revision and type, through the decider's upcaster. */
function asStored<Event extends { readonly type: string }>(decider: Decider<unknown, unknown, Event>, events: readonly Event[]): Event[] {
  return events.map((event, i) => {
    const stored = JSON.parse(JSON.stringify(event)) as { type: string; data: unknown };
    if (!decider.upcast) return stored as unknown as Event;
    const recorded = {
      type: stored.type,
      data: stored.data,
      revision: BigInt(i),
      recordedAt: new Date(T0),
      metadata: {},
    } as unknown as StoredEvent;
    return decider.upcast(recorded);
  });
}

/** One step of a sequence: the command, who issues it, and how long after the previous one. */
interface Step<Command> {
  readonly command: Drawn<Command>;
  readonly by: string;
  readonly afterHours: number;
}

/** The steps of a sequence as issued: each command in its envelope, an instant after the one before. */
function issued<Command>(steps: readonly Step<Command>[]): { readonly command: Command; readonly type: string; readonly at: Date }[] {
  let hours = 0;
  return steps.map(({ command: drawn, by, afterHours }) => {
    hours += afterHours;
    const at = new Date(T0 + hours * 3_600_000);
    const envelope: Envelope = { by, at, today: jakartaDay(at) };
    const command = typeof drawn === 'function' ? drawn(envelope) : drawn;
    return { command: { ...command, ...envelope } as unknown as Command, type: (command as unknown as { type: string }).type, at };
  });
}

export function checkDeciderProperties<State, Command, Event extends { readonly type: string }>(
  spec: DeciderProperties<State, Command, Event>,
): DeciderRunStats {
  const { decider } = spec;
  const accepted: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const refusals: Record<string, Record<string, number>> = {};
  let longestHistory = 0;
  const sequence = sequenceOf(spec);

  fc.assert(
    fc.property(sequence, (steps) => {
      let state = deepFreeze(clone(decider.initialState));
      const history: Event[] = [];
      for (const { command: issuedCommand, type } of issued(steps)) {
        let events: readonly Event[];
        try {
          events = decider.decide(issuedCommand, state);
        } catch (error) {
          if (!isJejakError(error) || typeof error.code !== 'string') {
            throw new Error(`${type} crashed instead of refusing: ${(error as Error)?.stack ?? String(error)}`);
          }
          refused[type] = (refused[type] ?? 0) + 1;
          const codes = (refusals[type] ??= {});
          codes[error.code] = (codes[error.code] ?? 0) + 1;
          continue;
        }
        // Deterministic: the same command on the same state decides the same events.
        expect(decider.decide(issuedCommand, state)).toEqual(events);
        if (events.length > 0) {
          if (spec.terminal?.is(state) && !spec.terminal.accepts.includes(type)) {
            throw new Error(`${type} was accepted in a terminal state (${JSON.stringify(events.map((e) => e.type))})`);
          }
          accepted[type] = (accepted[type] ?? 0) + 1;
        }
        const before = history.length;
        history.push(...events);
        expect(history.length).toBe(before + events.length);
        state = deepFreeze(events.reduce((s, e) => decider.evolve(s, e), state));
        // The stored history, read back and folded from the start, gives the same state.
        const replayed = asStored(decider as Decider<unknown, unknown, Event>, history).reduce(
          (s, e) => decider.evolve(s, e),
          decider.initialState,
        );
        expect(replayed).toEqual(state);
        spec.invariant?.(state, history);
      }
      longestHistory = Math.max(longestHistory, history.length);
    }),
    { numRuns: spec.numRuns ?? 300, seed: seedFromEnv() },
  );
  const never = spec.commandTypes.filter((type) => !accepted[type]);
  if (never.length > 0) {
    const why = never.map((type) => `${type} (refused: ${JSON.stringify(refusals[type] ?? {})})`);
    throw new Error(`the generated sequences never got these commands accepted: ${why.join('; ')}`);
  }
  return { accepted, refused, longestHistory };
}

/** Random command sequences for a decider: the usual start (when given), then random steps. */
function sequenceOf<State, Command, Event extends { readonly type: string }>(
  spec: Pick<DeciderProperties<State, Command, Event>, 'command' | 'actors' | 'first' | 'maxCommands'>,
): fc.Arbitrary<Step<Command>[]> {
  const step = fc.record({
    command: spec.command,
    by: fc.constantFrom(...spec.actors),
    // Mostly within the day, sometimes weeks later (deadlines, "no response" after 30 days).
    afterHours: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }) },
      { weight: 1, arbitrary: fc.integer({ min: 24, max: 24 * 45 }) },
    ),
  }) as fc.Arbitrary<Step<Command>>;
  return fc
    .tuple(
      spec.first ? fc.option(spec.first, { freq: 8, nil: undefined }) : fc.constant(undefined),
      fc.array(step, { minLength: 1, maxLength: spec.maxCommands ?? 40, size: 'max' }),
      fc.constantFrom(...spec.actors),
    )
    .map(([first, rest, by]): Step<Command>[] => {
      const path = first === undefined ? [] : Array.isArray(first) ? first : [first as Drawn<Command>];
      return [...path.map((command) => ({ command, by, afterHours: 1 })), ...rest];
    });
}

/** An event a decider decided, with the instant of the command that decided it (its recordedAt). */
export interface Decided<Event> {
  readonly event: Event;
  readonly at: Date;
}

/**
 * Histories of one record as the decider writes them: random command sequences run through `decide`, the
 * refused commands dropped. For properties of what consumes events (projections, process managers).
 */
export function historyOf<State, Command, Event extends { readonly type: string }>(
  spec: Pick<DeciderProperties<State, Command, Event>, 'decider' | 'command' | 'actors' | 'first' | 'maxCommands'>,
): fc.Arbitrary<Decided<Event>[]> {
  return sequenceOf(spec).map((steps) => {
    let state = spec.decider.initialState;
    const history: Decided<Event>[] = [];
    for (const { command, at } of issued(steps)) {
      try {
        const events = spec.decider.decide(command, state);
        state = events.reduce((s, e) => spec.decider.evolve(s, e), state);
        history.push(...events.map((event) => ({ event, at })));
      } catch (error) {
        if (!isJejakError(error)) throw error;
      }
    }
    return history;
  });
}

/** Random command sequences for a decider, each command issued in its envelope, ready for the command path. */
export function commandsOf<State, Command, Event extends { readonly type: string }>(
  spec: Pick<DeciderProperties<State, Command, Event>, 'command' | 'actors' | 'first' | 'maxCommands'>,
): fc.Arbitrary<Command[]> {
  return sequenceOf(spec).map((steps) => issued(steps).map(({ command }) => command));
}

/** `FC_SEED` replays a failing run; otherwise each run draws its own seed (printed by fast-check on failure). */
function seedFromEnv(): number | undefined {
  const seed = process.env.FC_SEED;
  return seed === undefined ? undefined : Number(seed);
}

/** Helpers for command arbitraries: small id pools, sealed values, dates. */
export const draw = {
  sealed: (...fields: readonly string[]): fc.Arbitrary<Readonly<Record<string, string>>> =>
    fc
      .subarray([...fields])
      .map((present) => Object.fromEntries(present.map((field) => [field, `pd1:${field}`])) as Readonly<Record<string, string>>),
  text: (): fc.Arbitrary<string> => fc.constantFrom('alasan', 'keluarga meminta', 'x'.repeat(200)),
  oneOf: <const T extends readonly unknown[]>(...values: T): fc.Arbitrary<T[number]> => fc.constantFrom(...values),
};
