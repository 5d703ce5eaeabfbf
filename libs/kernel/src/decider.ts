/** An event as it was stored, for an upcaster: its type and data, its metadata and when it was written. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly [key: string]: unknown };
  readonly recordedAt: Date;
}

/**
 * The three pure functions of an event-sourced record (Chassaing's decider pattern): every context's
 * decider is typed with it, and the one command path (`execute` in @jejak/event-store) runs any of them.
 */
export interface Decider<State, Command, Event extends { readonly type: string }> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  /** The events a command leads to from a state, or a refusal (RuleViolated, NotFound) thrown. */
  decide(command: Command, state: State): readonly Event[];
  /**
   * Reads a stored event as today's code expects it (an upcaster): fills a field that events written
   * before it existed lack, from what the event recorded. Absent: the event's type and data as stored.
   */
  readonly upcast?: (event: StoredEvent) => Event;
}
