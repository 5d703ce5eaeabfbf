import { randomUUID } from 'node:crypto';

import {
  caseDecider,
  caseStream,
  CATEGORIES,
  type Category,
  type Channel,
  CHANNELS,
  type Relationship,
  RELATIONSHIPS,
} from '@jejak/accompaniment';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { sexToken, splitCategories } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { requireAgency, requirePlacementInScope } from '../../http/references';
import { revisionResponse } from '../../http/revision';
import { NameField, NikField, PhoneField, SexField } from '../../subjects/person-fields';
import { alongside, SubjectRegistry } from '../../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../../tokens';
import { Written } from '../cases.handlers';
import { CaseRoutes, CasesRoute } from '../cases.routes';

export class PersonDto {
  @NameField() name!: string;
  @NikField() nik?: string;
  @PhoneField() phone?: string;
  @SexField() sex?: 'F' | 'M';
}

export class OpenCaseDto {
  @ApiPropertyOptional({ description: 'client-chosen id (UUID); a second create with it is a 409' })
  @Optional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village code (10 digits) of the unit taking the case' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @ApiProperty({ type: PersonDto, description: 'the worker the case is about' })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  worker!: PersonDto;

  @ApiPropertyOptional({ type: PersonDto, description: 'who complains, when not the worker' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  complainant?: PersonDto;

  @ApiProperty({ enum: RELATIONSHIPS, description: "the complainant's relationship to the worker; `self` when the worker complains" })
  @IsIn(RELATIONSHIPS)
  relationship!: Relationship;

  @ApiPropertyOptional({
    example: 'MY',
    description: 'ISO 3166-1 alpha-2; leave out when the complainant does not know it (counted as `unknown`)',
  })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry?: string;

  @ApiPropertyOptional({ description: 'the placement company, when known' })
  @Optional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  placementId?: string;

  @ApiPropertyOptional({ description: "the employer's name; stored sealed with the worker's key" })
  @Optional()
  @IsString()
  @Length(1, 200)
  employer?: string;

  @ApiProperty({ description: "the complaint in the complainant's words; stored sealed with the worker's key" })
  @IsString()
  @Length(1, 5000)
  complaint!: string;
}

export class OpenCase extends Command<Written> {
  constructor(
    readonly dto: OpenCaseDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/**
 * Intake: the worker and the complainant become data subjects (or are linked by NIK when already
 * registered); the complaint and the employer's name are sealed with the worker's key.
 */
@CommandHandler(OpenCase)
export class OpenCaseHandler implements ICommandHandler<OpenCase> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: OpenCase): Promise<Written> {
    const caseId = (dto.caseId ?? randomUUID()).toLowerCase();
    const { sensitiveCategories, ...categories } = splitCategories(this.vault, dto.categories);
    const base = {
      type: 'OpenCase' as const,
      caseId,
      areaCode: dto.areaCode,
      channel: dto.channel,
      ...categories,
      sexToken: sexToken(this.vault, dto.worker.sex),
      relationship: dto.relationship,
      destinationCountry: dto.destinationCountry ?? null,
      agencyId: dto.agencyId?.toLowerCase() ?? null,
      placementId: dto.placementId?.toLowerCase() ?? null,
      ...this.clock.envelope(context),
    };
    // The guards first, with placeholders: a refused intake registers nobody. An id already taken is refused
    // by the append's own decision, which undoes the registrations with the rest.
    caseDecider.decide(
      { ...base, workerSubjectId: '-', complainantSubjectId: '-', sealed: sensitiveCategories ? { sensitiveCategories } : {} },
      caseDecider.initialState,
    );
    if (base.placementId) await requirePlacementInScope(this.store, 'placementId', base.placementId, context);
    if (base.agencyId) await requireAgency(this.store, 'agencyId', base.agencyId);
    const person = (p: PersonDto, kind: 'worker' | 'complainant' | 'family') =>
      this.registry.findOrPrepare({
        kind,
        areaCode: dto.areaCode,
        consentBasis: 'consent',
        personal: { name: p.name, nik: p.nik, phone: p.phone, sex: p.sex },
        context,
      });
    // The people registered for this case are written with it, in one append: a refused case registers nobody.
    const result = await SubjectRegistry.together(async (people) => {
      const worker = await person(dto.worker, 'worker');
      people.push(worker);
      const complainant =
        dto.relationship === 'self' || !dto.complainant
          ? worker
          : await person(dto.complainant, dto.relationship === 'other' ? 'complainant' : 'family');
      people.push(complainant);
      const secrets = {
        complaint: dto.complaint,
        ...(dto.employer ? { employer: dto.employer } : {}),
        ...(sensitiveCategories ? { sensitiveCategories } : {}),
      };
      return execute(
        this.store,
        caseStream(caseId),
        caseDecider,
        { ...base, workerSubjectId: worker.id, complainantSubjectId: complainant.id, sealed: await this.vault.seal(worker.id, secrets) },
        { metadata: eventMetadata(context), alongside: alongside(people) },
      );
    });
    return { id: caseId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@CasesRoute()
export class OpenCaseRoute extends CaseRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async open(@Body() body: OpenCaseDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new OpenCase(body, context));
    response.setHeader('Location', `/cases/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
