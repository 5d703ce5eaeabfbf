/**
 * A dissemination session (sosialisasi): held on a day at a place in a village, about topics of the
 * catalog, reaching a number of people, among them members on record who attended. The number reached is
 * a count the officer makes at the door; a correction is an event, never an overwrite.
 */
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated } from '@jejak/kernel';

export const sessionStream = (sessionId: string): string => `session-${sessionId}`;

export type SessionEvent =
  | {
      readonly type: 'DisseminationSessionHeld';
      readonly data: {
        readonly sessionId: string;
        readonly areaCode: string;
        readonly heldOn: CalendarDate;
        /** Where: a public place (the village hall, a mosque, a school), never a person's home address. */
        readonly place: string;
        readonly topics: readonly string[];
        readonly peopleReached: number;
        /** Members on record who attended, by their opaque subject id. */
        readonly attendees: readonly string[];
        readonly recordedBy: string;
      };
    }
  | { readonly type: 'SessionAttendeesAdded'; readonly data: { readonly subjectIds: readonly string[] } }
  | {
      readonly type: 'SessionPeopleReachedCorrected';
      readonly data: { readonly from: number; readonly to: number; readonly reason: string };
    };

export type SessionCommand =
  | (Envelope & {
      readonly type: 'RecordSession';
      readonly sessionId: string;
      readonly areaCode: string;
      readonly heldOn: CalendarDate;
      readonly place: string;
      readonly topics: readonly string[];
      readonly peopleReached: number;
      readonly attendees: readonly string[];
      /** The catalog's codes when the command is decided. */
      readonly catalog: readonly string[];
    })
  | (Envelope & { readonly type: 'AddAttendees'; readonly subjectIds: readonly string[] })
  | (Envelope & { readonly type: 'CorrectPeopleReached'; readonly peopleReached: number; readonly reason: string });

export interface SessionState {
  readonly status: 'none' | 'held';
  readonly areaCode?: string;
  readonly heldOn?: CalendarDate;
  readonly place?: string;
  readonly recordedBy?: string;
  readonly topics: readonly string[];
  readonly peopleReached: number;
  readonly attendees: readonly string[];
}

export const initialSessionState: SessionState = { status: 'none', topics: [], peopleReached: 0, attendees: [] };

export type SessionErrorCode =
  | 'SESSION_ALREADY_RECORDED'
  | 'TOPIC_REQUIRED'
  | 'TOPIC_REPEATED'
  | 'UNKNOWN_TOPIC'
  | 'DATE_IN_FUTURE'
  | 'ATTENDEE_REPEATED'
  | 'FEWER_REACHED_THAN_ATTENDED';

export class SessionRuleViolated extends RuleViolated<SessionErrorCode> {}

const refuse = (code: SessionErrorCode, message: string): never => {
  throw new SessionRuleViolated(code, message);
};

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'DisseminationSessionHeld': {
      const { areaCode, heldOn, place, recordedBy, topics, peopleReached, attendees } = event.data;
      return { status: 'held', areaCode, heldOn, place, recordedBy, topics, peopleReached, attendees };
    }
    case 'SessionAttendeesAdded':
      return { ...state, attendees: [...state.attendees, ...event.data.subjectIds] };
    case 'SessionPeopleReachedCorrected':
      return { ...state, peopleReached: event.data.to };
  }
}

/** Everyone who attended was reached: the count at the door is never below the members named. */
function reachesAttendees(peopleReached: number, attendees: number): void {
  if (peopleReached < attendees)
    refuse('FEWER_REACHED_THAN_ATTENDED', `${peopleReached} people reached, but ${attendees} members named as attending`);
}

function held(state: SessionState): void {
  if (state.status === 'none') throw new NotFound('SESSION_NOT_FOUND', 'No such session');
}

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'RecordSession': {
      if (state.status !== 'none') refuse('SESSION_ALREADY_RECORDED', 'The session is already on record');
      if (command.heldOn > command.today) refuse('DATE_IN_FUTURE', `${command.heldOn} is after today`);
      if (command.topics.length === 0) refuse('TOPIC_REQUIRED', 'A session is about at least one topic');
      if (new Set(command.topics).size !== command.topics.length) refuse('TOPIC_REPEATED', 'A topic is named twice');
      const unknown = command.topics.find((t) => !command.catalog.includes(t));
      if (unknown !== undefined) refuse('UNKNOWN_TOPIC', `${unknown} is not in the topic catalog`);
      if (new Set(command.attendees).size !== command.attendees.length) refuse('ATTENDEE_REPEATED', 'A member is named twice');
      reachesAttendees(command.peopleReached, command.attendees.length);
      const { sessionId, areaCode, heldOn, place, topics, peopleReached, attendees } = command;
      return [
        {
          type: 'DisseminationSessionHeld',
          data: { sessionId, areaCode, heldOn, place, topics, peopleReached, attendees, recordedBy: command.by },
        },
      ];
    }
    case 'AddAttendees': {
      held(state);
      if (new Set(command.subjectIds).size !== command.subjectIds.length) refuse('ATTENDEE_REPEATED', 'A member is named twice');
      const added = command.subjectIds.filter((id) => !state.attendees.includes(id));
      if (added.length === 0) return [];
      reachesAttendees(state.peopleReached, state.attendees.length + added.length);
      return [{ type: 'SessionAttendeesAdded', data: { subjectIds: added } }];
    }
    case 'CorrectPeopleReached':
      held(state);
      if (command.peopleReached === state.peopleReached) return [];
      reachesAttendees(command.peopleReached, state.attendees.length);
      return [
        {
          type: 'SessionPeopleReachedCorrected',
          data: { from: state.peopleReached, to: command.peopleReached, reason: command.reason },
        },
      ];
  }
}

export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  initialState: initialSessionState,
  evolve: evolveSession,
  decide: decideSession,
};
