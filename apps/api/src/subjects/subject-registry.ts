import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, foldStream, type StreamAppend, StreamNotFound } from '@jejak/event-store';
import { JejakError, nikProblem, type RequestContext, scopeCovers } from '@jejak/kernel';
import {
  type PersonalDataVault,
  type PersonalField,
  subjectDecider,
  type SubjectKind,
  SubjectRuleViolated,
  subjectStream,
} from '@jejak/personal-data';
import { Inject, Injectable } from '@nestjs/common';

import { areaOfStream } from '../audit/replay';
import { Clock } from '../http/clock';
import type { Written } from '../http/revision';
import { EVENT_STORE, VAULT } from '../tokens';

export class InvalidNik extends JejakError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;
  constructor(problem: string) {
    super('The request is not valid', { errors: [{ field: 'nik', message: problem }] });
  }
}

export class NikAlreadyRegistered extends JejakError {
  readonly code = 'SUBJECT_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;
  constructor(existingId: string) {
    // The id only: enough to link the existing record, nothing about the person.
    super(`A data subject with this NIK is already registered: ${existingId}`);
  }
}

export function checkNik(fields: Record<string, string>): void {
  if (fields.nik === undefined) return;
  const problem = nikProblem(fields.nik);
  if (problem) throw new InvalidNik(problem);
}

/** A registration: the subject's id, revision and the position of the write. */
export type Registered = Written;

export interface SubjectRegistration {
  readonly subjectId: string | undefined;
  readonly kind: SubjectKind;
  readonly areaCode: string;
  readonly consentBasis: string;
  readonly personal: Record<string, string>;
  readonly context: RequestContext;
  /** The person holding this NIK in a territory the caller cannot see (see findOrPrepare). */
  readonly sameAs?: string;
}

/** The registrations to write with a record (each person once). */
export function alongside(people: readonly PreparedSubject[]): StreamAppend[] {
  return [...new Set(people)].flatMap((p) => (p.append ? [p.append] : []));
}

/** A person a record names: already registered (no append), or a registration to write with the record. */
export interface PreparedSubject {
  readonly id: string;
  readonly append?: StreamAppend;
  undo(): Promise<void>;
}

/**
 * Registering a data subject, shared by the subjects routes and by the workflows that register people
 * (a placement's worker): reserve the NIK, create the subject's key, seal, append.
 */
@Injectable()
export class SubjectRegistry {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  /**
   * Everything a registration needs short of writing it: the id checked, the key created, the NIK reserved,
   * the fields sealed, the event decided. The caller appends it together with the record that names the
   * person (`execute`'s `alongside`), so a refused record registers nobody; `undo` gives back the NIK and
   * the key when that append did not happen.
   */
  async prepare(command: SubjectRegistration): Promise<PreparedSubject & { readonly append: StreamAppend }> {
    checkNik(command.personal);
    const id = (command.subjectId ?? randomUUID()).toLowerCase();
    // Refuse a reused id before touching keys or the NIK index, so a refused create leaves nothing behind.
    if (await this.exists(id)) throw new SubjectRuleViolated('SUBJECT_ALREADY_REGISTERED', 'The data subject already exists');
    // A person linked to one registered elsewhere leaves the NIK with its holder.
    const nik = command.sameAs ? undefined : command.personal.nik;
    const undo = async (): Promise<void> => {
      if (await this.exists(id)) return;
      if (nik !== undefined) await this.vault.release('nik', nik, id);
      await this.vault.discardKey(id);
    };
    await this.vault.createKey(id);
    try {
      if (nik !== undefined) {
        const holder = await this.vault.reserve('nik', nik, id, (other) => this.exists(other));
        if (holder) throw new NikAlreadyRegistered(holder);
      }
      const events = subjectDecider.decide(
        {
          type: 'RegisterSubject',
          subjectId: id,
          kind: command.kind,
          areaCode: command.areaCode,
          personal: await this.vault.seal(id, command.personal),
          consentBasis: command.consentBasis,
          ...this.clock.envelope(command.context),
          ...(command.sameAs ? { sameAs: command.sameAs } : {}),
        },
        subjectDecider.initialState,
      );
      const metadata = eventMetadata(command.context);
      return {
        id,
        append: {
          streamId: subjectStream(id),
          events: events.map((e) => ({ type: e.type, data: e.data, metadata })),
          expectedRevision: 'no_stream',
        },
        undo,
      };
    } catch (error) {
      await undo();
      throw error;
    }
  }

  /** Registers a person on their own (the subjects routes). */
  async register(command: SubjectRegistration): Promise<Registered> {
    const prepared = await this.prepare(command);
    try {
      const [result] = await this.store.appendMany([prepared.append]);
      return { id: prepared.id, revision: result!.nextExpectedRevision, position: result!.position };
    } catch (error) {
      await prepared.undo();
      throw error;
    }
  }

  /**
   * The person already registered under this NIK, or a registration of a new one prepared with these
   * personal fields: a person is registered once, whichever workflow meets them first.
   *
   * Across territories: when the NIK belongs to a person registered outside the caller's territory, the
   * record does not link that person directly, or it would show the caller their name, birth date and
   * phone. It gets a subject of its own holding what the caller entered, linked by `sameAs` to the
   * person already registered (who keeps the NIK). The caller learns no more than the NIK lookup tells
   * (that the person exists); reads of the record are logged with both subjects, so the auditors of the
   * person's own territory see them (see the access log).
   */
  async findOrPrepare(
    command: Omit<SubjectRegistration, 'subjectId' | 'personal' | 'sameAs'> & {
      readonly personal: Readonly<Record<string, string | undefined>>;
    },
  ): Promise<PreparedSubject> {
    const known = command.personal.nik ? await this.findByNik(command.personal.nik) : undefined;
    const personal = Object.fromEntries(Object.entries(command.personal).filter((e): e is [string, string] => e[1] !== undefined));
    if (known && (await this.visibleTo(known, command.context))) return { id: known, undo: async () => undefined };
    return this.prepare({ ...command, subjectId: undefined, personal, ...(known ? { sameAs: known } : {}) });
  }

  /** Whether the subject is registered within the caller's territory. */
  async visibleTo(subjectId: string, context: RequestContext): Promise<boolean> {
    const area = await areaOfStream(this.store, subjectStream(subjectId));
    return context.actor!.scopes.some((s) => s.level === 'national' || (area !== null && scopeCovers(s, area)));
  }

  /**
   * Runs a record's create, which prepares the people it names into `people` and writes their
   * registrations with the record (`alongside(people)`); if anything fails, gives back what was reserved.
   */
  static async together<T>(create: (people: PreparedSubject[]) => Promise<T>): Promise<T> {
    const people: PreparedSubject[] = [];
    try {
      return await create(people);
    } catch (error) {
      for (const p of people) await p.undo();
      throw error;
    }
  }

  /** A subject's id with some of their fields opened (name, phone, ...), or "[erased]". */
  async view(subjectId: string, fields: readonly PersonalField[]): Promise<Record<string, string> & { subjectId: string }> {
    const { state } = await foldStream(this.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
    const sealed = Object.fromEntries(fields.flatMap((f) => (state.personal[f] === undefined ? [] : [[f, state.personal[f]!]])));
    return { subjectId, ...(await this.vault.reveal(subjectId, sealed)) };
  }

  /** The subject registered with this NIK, if any (erased subjects have no index entry left). */
  findByNik(nik: string): Promise<string | undefined> {
    return this.vault.find('nik', nik);
  }

  async exists(id: string): Promise<boolean> {
    try {
      for await (const _ of this.store.readStream(subjectStream(id), { maxCount: 1 })) return true;
    } catch (error) {
      if (error instanceof StreamNotFound) return false;
      throw error;
    }
    return false;
  }
}
