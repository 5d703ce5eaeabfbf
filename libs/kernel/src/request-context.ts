import type { CalendarDate } from './dates';
import type { Scope } from './territory';

export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The program's two units of officers (penggerak): information and advocacy (dissemination, enquiries,
 * placement facilitation, case accompaniment, prevention) and economic enterprise (businesses, groups,
 * KUR, consultations). An officer works in one or both; which unit may record what is a policy rule.
 */
export const UNITS = ['info_advocacy', 'economic'] as const;
export type Unit = (typeof UNITS)[number];

/** Who is acting: taken from a verified token, never from the request body. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  /** An officer's units; absent means both (officers on record before units existed, tokens that name none). */
  readonly units?: readonly Unit[];
}

/** What every write needs to know about the request that caused it. Passed explicitly into commands. */
export interface RequestContext {
  readonly correlationId: string;
  readonly actor?: Actor;
  /** When a backdated command really happened (a paper record entered later); absent means now. */
  readonly occurredAt?: Date;
  /** When the request arrived, by the deployment's clock. */
  readonly now: Date;
}

/** The time a command happened: the backdated time when one was given, else when it arrived. */
export const occurredAt = (context: RequestContext): Date => context.occurredAt ?? context.now;

/**
 * What every command of every context carries besides its own fields: who issued it and when. `at` is
 * when it happened (a backdated paper record's time, else when it arrived); `today` is the deployment's
 * calendar day when it arrived, which no date an officer records may pass. Handlers build it once from the
 * request (`envelopeOf`), process managers from the event they react to: no decider or handler reads a clock.
 */
export interface Envelope {
  readonly by: string;
  readonly at: Date;
  readonly today: CalendarDate;
}

/** A context's command: its own fields in the one envelope. */
export type Issued<Command> = Command extends unknown ? Envelope & Command : never;

/** A command without its envelope: what a handler decides before `envelopeOf` is added. */
export type Unissued<Command> = Command extends unknown ? Omit<Command, keyof Envelope> : never;

/**
 * The envelope of a request's command: the actor (or `by`, for a request made before anyone is signed in,
 * such as a login), the time it happened, and the deployment's day when it arrived (`day`: localDay of
 * JEJAK_TIMEZONE).
 */
export function envelopeOf(context: RequestContext, day: (instant: Date) => CalendarDate, by?: string): Envelope {
  const actor = by ?? context.actor?.id;
  if (!actor) throw new Error('A command needs an actor: the request carried none and none was named');
  return { by: actor, at: occurredAt(context), today: day(context.now) };
}
