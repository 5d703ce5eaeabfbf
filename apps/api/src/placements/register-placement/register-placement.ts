import { randomUUID } from 'node:crypto';

import { foldStream } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { type PersonalDataVault, subjectDecider, subjectStream } from '@jejak/personal-data';
import { INTAKE_DOCUMENTS, placementDecider, type PlacementDocument } from '@jejak/placement';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse } from '../../http/revision';
import { AddressField, BirthDateField, NameField, PhoneField, SexField } from '../../subjects/person-fields';
import { alongside, SubjectRegistry } from '../../subjects/subject-registry';
import { VAULT } from '../../tokens';
import { DatedDto } from '../placements.dto';
import { PlacementSteps, Written } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute } from '../placements.routes';

export class RegisterPlacement extends Command<Written> {
  constructor(
    readonly dto: RegisterPlacementDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

export class WorkerDto {
  @NameField() name!: string;

  /** Any text here: whether it is a valid NIK is the registration guard's to say (409 INVALID_NIK). */
  @ApiProperty({ example: '3201014501900001', description: '16 digits opening with a province code (checked as a guard: 409 INVALID_NIK)' })
  @IsString()
  @Length(1, 32)
  nik!: string;

  @BirthDateField(false) birthDate!: string;
  @SexField() sex?: 'F' | 'M';
  @PhoneField() phone?: string;
  @AddressField() address?: string;
}

export class IntakeDocumentDto {
  @ApiProperty({ enum: INTAKE_DOCUMENTS, description: 'KTP, KK or diploma, collected at intake' })
  @IsIn(INTAKE_DOCUMENTS)
  kind!: (typeof INTAKE_DOCUMENTS)[number];

  @ApiProperty({ example: '3201-AB-001', description: "the document number; stored sealed with the worker's key" })
  @IsString()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: 'Disdukcapil Kabupaten Bogor' })
  @IsString()
  @Length(1, 200)
  issuer!: string;

  @DateField({ example: '2020-05-04' })
  issuedOn!: string;

  @DateField({ example: '2030-05-04', optional: true })
  expiresOn?: string;
}

export class RegisterPlacementDto extends DatedDto {
  @ApiPropertyOptional({ description: 'client-chosen id (UUID); a second create with it is a 409' })
  @Optional()
  @IsUUID()
  placementId?: string;

  @ApiProperty({ example: '3201012001', description: "the worker's village code (10 digits): the placement belongs to it" })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ type: WorkerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => WorkerDto)
  worker!: WorkerDto;

  @ApiPropertyOptional({ example: 'consent', description: "lawful basis for processing the worker's data" })
  @Optional()
  @IsString()
  @Length(1, 200)
  consentBasis?: string;

  @ApiPropertyOptional({
    type: IntakeDocumentDto,
    isArray: true,
    description:
      'documents collected at intake (KTP, KK, diploma); what is still missing is reported on the placement as `missingDocuments`, never refused',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IntakeDocumentDto)
  documents?: IntakeDocumentDto[];
}

/**
 * Registers the worker as a data subject (or links the person already registered under that NIK, whose
 * record is then authoritative for the age check), then opens the placement. The guards run before the
 * person is registered, so a refused registration leaves nothing behind.
 */
@CommandHandler(RegisterPlacement)
export class RegisterPlacementHandler implements ICommandHandler<RegisterPlacement> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ dto, context }: RegisterPlacement): Promise<Written> {
    const placementId = (dto.placementId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const on = dto.on ?? this.clock.today(envelope.at);
    const holder = /^\d{16}$/.test(dto.worker.nik) ? await this.registry.findByNik(dto.worker.nik) : undefined;
    // A person registered outside the caller's territory is not linked directly (see SubjectRegistry.findOrPrepare).
    const existing = holder && (await this.registry.visibleTo(holder, context)) ? holder : undefined;
    const birthDate = (existing && (await this.recordedBirthDate(existing))) || dto.worker.birthDate;
    const guard = {
      type: 'RegisterPlacement' as const,
      placementId,
      subjectId: existing ?? 'pending',
      areaCode: dto.areaCode,
      nik: dto.worker.nik,
      birthDate,
    };
    // The guards on the person (age, NIK) first, before anyone is registered; a placement id already taken
    // is refused by the one command path below, which undoes the registration with the rest.
    placementDecider.decide({ ...guard, ...envelope, on }, placementDecider.initialState);

    // A new worker's registration is written with the placement, in one append: a refused placement registers nobody.
    return SubjectRegistry.together(async (people) => {
      if (!existing) {
        const { name, nik, birthDate: born, sex, phone, address } = dto.worker;
        const personal = Object.fromEntries(
          Object.entries({ name, nik, birthDate: born, sex, phone, address }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;
        people.push(
          await this.registry.prepare({
            subjectId: undefined,
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: dto.consentBasis ?? 'consent',
            personal,
            context,
            ...(holder ? { sameAs: holder } : {}),
          }),
        );
      }
      const subjectId = existing ?? people[0]!.id;
      // Intake documents, numbers sealed with the worker's key, recorded in the registration's append.
      const documents: PlacementDocument[] = [];
      for (const d of dto.documents ?? []) {
        documents.push({
          documentId: randomUUID(),
          kind: d.kind,
          issuer: d.issuer,
          issuedOn: d.issuedOn,
          expiresOn: d.expiresOn ?? null,
          verifiedBy: context.actor!.id,
          verifiedOn: on,
          sealed: await this.vault.seal(subjectId, { number: d.number }),
        });
      }
      return this.steps.run(
        placementId,
        () => ({ ...guard, subjectId, ...(documents.length ? { documents } : {}) }),
        on,
        context,
        undefined,
        alongside(people),
      );
    });
  }

  private async recordedBirthDate(subjectId: string): Promise<string | undefined> {
    const { state } = await foldStream(this.steps.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
    if (!state.personal.birthDate) return undefined;
    const { birthDate } = await this.vault.reveal(subjectId, { birthDate: state.personal.birthDate });
    return birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : undefined;
  }
}

@PlacementsRoute()
export class RegisterPlacementRoute extends PlacementRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async register(@Body() body: RegisterPlacementDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RegisterPlacement(body, context));
    response.setHeader('Location', `/placements/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
