import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { type PersonalDataVault, subjectDecider, subjectStream } from '@jejak/personal-data';
import { Body, Inject, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { Clock } from '../../http/clock';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE, VAULT } from '../../tokens';
import { checkNik, NikAlreadyRegistered } from '../subject-registry';
import { PersonalFieldsDto } from '../subjects.dto';
import { personalFields, subjectNotFound } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export class CorrectSubjectDto extends PersonalFieldsDto {
  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class CorrectSubject extends Command<Written> {
  constructor(
    readonly subjectId: string,
    readonly personal: Record<string, string>,
    readonly reason: string,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

@CommandHandler(CorrectSubject)
export class CorrectSubjectHandler implements ICommandHandler<CorrectSubject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, personal, reason, context, ifMatch }: CorrectSubject): Promise<Written> {
    checkNik(personal);
    const newNik = personal.nik;
    // What the one read found, for the index entries to release once the outcome is known.
    let reserved: string | undefined;
    let oldNik: string | undefined;
    let result;
    try {
      result = await execute(
        this.store,
        subjectStream(subjectId),
        subjectDecider,
        async ({ state }) => {
          oldNik =
            newNik !== undefined && state.personal.nik ? (await this.vault.reveal(subjectId, { nik: state.personal.nik })).nik : undefined;
          if (newNik !== undefined && newNik !== oldNik && reserved !== newNik) {
            const holder = await this.vault.reserve('nik', newNik, subjectId, async () => true);
            if (holder) throw new NikAlreadyRegistered(holder);
            reserved = newNik;
          }
          return {
            type: 'CorrectSubjectData' as const,
            personal: await this.vault.seal(subjectId, personal),
            reason: (await this.vault.seal(subjectId, { reason })).reason!,
            ...this.clock.envelope(context),
          };
        },
        { metadata: eventMetadata(context), notFound: subjectNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
      );
    } catch (error) {
      if (reserved) await this.vault.release('nik', reserved, subjectId); // the correction did not happen
      throw error;
    }
    if (reserved && oldNik !== undefined) await this.vault.release('nik', oldNik, subjectId);
    return { id: subjectId, revision: result.revision, position: result.position };
  }
}

@SubjectsRoute()
export class CorrectSubjectRoute extends SubjectRoutes {
  @CommandRoute(':id/corrections')
  @Allow(['officer'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async correct(
    @Param('id', UUID) id: string,
    @Body() body: CorrectSubjectDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new CorrectSubject(id, personalFields(body), body.reason, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
