import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { StreamNotFound, eventMetadata, execute, foldStream, type EventStore } from '@jejak/event-store';
import { JejakError, nikProblem, type RequestContext } from '@jejak/kernel';
import { SubjectRuleViolated, subjectDecider, subjectStream, type PersonalDataVault, type PersonalField, type SubjectKind } from '@jejak/personal-data';
import { EVENT_STORE, VAULT } from '../tokens';
import type { Written } from '../http/revision';

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

/**
 * Registering a data subject, shared by the subjects routes and by the workflows that register people
 * (a placement's worker): reserve the NIK, create the subject's key, seal, append.
 */
@Injectable()
export class SubjectRegistry {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async register(command: {
    readonly subjectId: string | undefined;
    readonly kind: SubjectKind;
    readonly areaCode: string;
    readonly consentBasis: string;
    readonly personal: Record<string, string>;
    readonly context: RequestContext;
  }): Promise<Registered> {
    checkNik(command.personal);
    const id = (command.subjectId ?? randomUUID()).toLowerCase();
    // Refuse a reused id before touching keys or the NIK index, so a refused create leaves nothing behind.
    if (await this.exists(id)) throw new SubjectRuleViolated('SUBJECT_ALREADY_REGISTERED', 'The data subject already exists');
    await this.vault.createKey(id);
    const nik = command.personal.nik;
    if (nik !== undefined) {
      const holder = await this.vault.reserve('nik', nik, id, (other) => this.exists(other));
      if (holder) throw new NikAlreadyRegistered(holder);
    }
    try {
      const result = await execute(
        this.store,
        subjectStream(id),
        subjectDecider,
        {
          type: 'RegisterSubject',
          subjectId: id,
          kind: command.kind,
          areaCode: command.areaCode,
          personal: await this.vault.seal(id, command.personal),
          consentBasis: command.consentBasis,
          at: new Date(),
        },
        { metadata: eventMetadata(command.context) },
      );
      return { id, revision: result.revision, position: result.position };
    } catch (error) {
      if (nik !== undefined && !(await this.exists(id))) await this.vault.release('nik', nik, id);
      throw error;
    }
  }

  /**
   * The person already registered under this NIK, or a new data subject with these personal fields:
   * a person is registered once, whichever workflow meets them first.
   */
  async findOrRegister(command: {
    readonly kind: SubjectKind;
    readonly areaCode: string;
    readonly consentBasis: string;
    readonly personal: Readonly<Record<string, string | undefined>>;
    readonly context: RequestContext;
  }): Promise<string> {
    const known = command.personal.nik ? await this.findByNik(command.personal.nik) : undefined;
    if (known) return known;
    const personal = Object.fromEntries(Object.entries(command.personal).filter((e): e is [string, string] => e[1] !== undefined));
    return (await this.register({ ...command, subjectId: undefined, personal })).id;
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

