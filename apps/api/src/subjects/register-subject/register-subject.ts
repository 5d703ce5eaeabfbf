import type { RequestContext } from '@jejak/kernel';
import { SUBJECT_KINDS, type SubjectKind } from '@jejak/personal-data';
import { Body, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse, type Written } from '../../http/revision';
import { SubjectRegistry } from '../subject-registry';
import { PersonalFieldsDto } from '../subjects.dto';
import { personalFields } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute } from '../subjects.routes';

export class RegisterSubjectDto extends PersonalFieldsDto {
  @ApiPropertyOptional({ description: 'client-chosen id (UUID); a second create with it is a 409' })
  @Optional()
  @IsUUID()
  subjectId?: string;

  @ApiProperty({ enum: SUBJECT_KINDS })
  @IsIn(SUBJECT_KINDS)
  kind!: SubjectKind;

  @ApiProperty({ example: '3201012001', description: 'village code (10 digits) of the unit that holds the record' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ example: 'consent', description: 'lawful basis for processing (Law 27/2022 art. 20)' })
  @IsString()
  @Length(1, 200)
  consentBasis!: string;
}

export class RegisterSubject extends Command<Written> {
  constructor(
    readonly subjectId: string | undefined,
    readonly kind: SubjectKind,
    readonly areaCode: string,
    readonly consentBasis: string,
    readonly personal: Record<string, string>,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterSubject)
export class RegisterSubjectHandler implements ICommandHandler<RegisterSubject> {
  constructor(private readonly registry: SubjectRegistry) {}

  execute(command: RegisterSubject): Promise<Written> {
    return this.registry.register(command);
  }
}

@SubjectsRoute()
export class RegisterSubjectRoute extends SubjectRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409)
  async register(@Body() body: RegisterSubjectDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new RegisterSubject(body.subjectId, body.kind, body.areaCode, body.consentBasis, personalFields(body), context),
    );
    response.setHeader('Location', `/subjects/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
