import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { preventionDecider, preventionStream, type Source, SOURCES } from '@jejak/prevention';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { sealFreeText, sealGiven } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse, type Written } from '../../http/revision';
import { BirthDateField, NameField, NikField, PhoneField, SexField } from '../../subjects/person-fields';
import { alongside, SubjectRegistry } from '../../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../../tokens';
import { FlagDto } from '../preventions.dto';
import { PreventionRoutes, PreventionsRoute } from '../preventions.routes';

export class ReportRecruitment extends Command<Written> {
  constructor(
    readonly dto: ReportDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

export class PersonAtRiskDto {
  @NameField() name!: string;
  @NikField() nik?: string;
  @BirthDateField() birthDate?: string;
  @SexField() sex?: 'F' | 'M';
  @PhoneField() phone?: string;
}

export class RecruiterDto {
  @NameField() name!: string;
  @PhoneField() phone?: string;
}

export class ReportDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  preventionId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village code (10 digits) where the recruitment happens' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ enum: SOURCES })
  @IsIn(SOURCES)
  source!: Source;

  @ApiPropertyOptional({ type: PersonAtRiskDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonAtRiskDto)
  person?: PersonAtRiskDto;

  @ApiPropertyOptional({ type: RecruiterDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => RecruiterDto)
  recruiter?: RecruiterDto;

  @ApiPropertyOptional({ example: 'KH' })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry?: string;

  @ApiPropertyOptional({ example: 'Batam' })
  @Optional()
  @IsString()
  @Length(1, 200)
  route?: string;

  @ApiPropertyOptional({ description: 'what was seen or heard; stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  description?: string;

  @ApiPropertyOptional({ type: [FlagDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(14)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => FlagDto)
  flags?: FlagDto[];
}

@CommandHandler(ReportRecruitment)
export class ReportRecruitmentHandler implements ICommandHandler<ReportRecruitment> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: ReportRecruitment): Promise<Written> {
    const preventionId = (dto.preventionId ?? randomUUID()).toLowerCase();
    const base = {
      type: 'ReportNonProceduralRecruitment' as const,
      preventionId,
      areaCode: dto.areaCode,
      source: dto.source,
      destinationCountry: dto.destinationCountry ?? null,
      route: dto.route ?? null,
      placementId: null,
      ...this.clock.envelope(context),
    };
    // Refuse before registering anyone; an id already taken is refused by the append's own decision, which
    // undoes the registrations with the rest.
    preventionDecider.decide(
      { ...base, personSubjectId: null, recruiterSubjectId: null, sealed: {}, flags: [] },
      preventionDecider.initialState,
    );
    // The people registered for this report are written with it, in one append: a refused report registers nobody.
    const result = await SubjectRegistry.together(async (people) => {
      const person = dto.person
        ? await this.registry.findOrPrepare({
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: 'vital_interest',
            personal: { ...dto.person },
            context,
          })
        : undefined;
      if (person) people.push(person);
      const recruiter = dto.recruiter
        ? await this.registry.findOrPrepare({
            kind: 'recruiter',
            areaCode: dto.areaCode,
            consentBasis: 'legitimate_interest',
            personal: { ...dto.recruiter },
            context,
          })
        : undefined;
      if (recruiter) people.push(recruiter);
      const holder = person?.id ?? preventionId;
      // Nobody named yet: the record's free text gets a data subject of its own (an unidentified person at
      // risk, with the record's id), so that it is erased like any person's, by POST /subjects/<id>/erasure.
      if (!person)
        people.push(
          await this.registry.prepare({
            subjectId: preventionId,
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: 'vital_interest',
            personal: {},
            context,
          }),
        );
      const flags = [];
      for (const f of dto.flags ?? [])
        flags.push({ flagId: randomUUID(), flag: f.flag, sealed: await sealGiven(this.vault, holder, { evidence: f.evidence }) });
      return execute(
        this.store,
        preventionStream(preventionId),
        preventionDecider,
        {
          ...(await sealFreeText(this.vault, holder, base)),
          personSubjectId: person?.id ?? null,
          recruiterSubjectId: recruiter?.id ?? null,
          sealed: await sealGiven(this.vault, holder, { description: dto.description }),
          flags,
        },
        { metadata: eventMetadata(context), alongside: alongside(people) },
      );
    });
    return { id: preventionId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@PreventionsRoute()
export class ReportRecruitmentRoute extends PreventionRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async report(@Body() body: ReportDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new ReportRecruitment(body, context));
    response.setHeader('Location', `/preventions/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
