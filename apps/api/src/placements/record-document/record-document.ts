import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { DOCUMENT_KINDS, type DocumentKind, type PlacementDocument, type PlacementState, type WarningSign } from '@jejak/placement';
import { Body, Inject, Param, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { Clock } from '../../http/clock';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse } from '../../http/revision';
import { VAULT } from '../../tokens';
import { DatedDto } from '../placements.dto';
import { PlacementStep, PlacementSteps, Written } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class RecordPlacementDocument extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly dto: RecordDocumentDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

export class RecordDocumentDto extends DatedDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  documentId?: string;

  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;

  @ApiProperty({ description: "the document number; stored sealed with the worker's key" })
  @IsString()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: 'Kantor Imigrasi Bogor' })
  @IsString()
  @Length(1, 200)
  issuer!: string;

  @DateField({ example: '2026-01-15' })
  issuedOn!: string;

  @DateField({ example: '2031-01-14', optional: true })
  expiresOn?: string;

  @ApiPropertyOptional({ enum: ['fit', 'unfit'], description: 'health certificates only; stored sealed (health data)' })
  @ValidateIf((o: RecordDocumentDto) => o.kind === 'health_certificate' || o.healthResult !== undefined)
  @IsIn(['fit', 'unfit'], { message: 'is required for a health certificate: fit or unfit' })
  healthResult?: 'fit' | 'unfit';

  @ApiPropertyOptional({ description: 'family permission only: acknowledged by the village head' })
  @Optional()
  @IsBoolean()
  acknowledgedByVillageHead?: boolean;

  @ApiPropertyOptional({ description: 'employment contract only: the job order it was drawn up for' })
  @Optional()
  @IsString()
  @Length(1, 100)
  jobOrderNumber?: string;
}

/** Records a document: its number (and a health result) sealed with the worker's key; a passport checked for duplicates. */
@CommandHandler(RecordPlacementDocument)
export class RecordPlacementDocumentHandler implements ICommandHandler<RecordPlacementDocument> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly clock: Clock,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ placementId, dto, context, ifMatch }: RecordPlacementDocument): Promise<Written> {
    const passport = dto.kind === 'passport';
    const documentId = (dto.documentId ?? randomUUID()).toLowerCase();
    // A duplicate is a warning sign to record, not a refusal: the document is kept, a prevention record
    // opens (process manager) and a supervisor resolves the sign; until then documents and departure wait.
    let signs: { signId: string; sign: WarningSign }[] = [];
    let reservedFor: string | undefined;
    const build = async (state: PlacementState): Promise<PlacementStep> => {
      const subjectId = state.subjectId!;
      signs = [];
      if (passport) {
        const holder = await this.vault.reserve('passport', dto.number, subjectId, async () => true);
        if (holder) signs.push({ signId: randomUUID(), sign: 'duplicate_passport' });
        else {
          reservedFor = subjectId;
          // Another passport number already on this record (the same number again is no sign).
          const known = await Promise.all(
            Object.values(state.documents)
              .filter((d) => d.kind === 'passport')
              .map(async (d) => (await this.vault.reveal(subjectId, { number: d.sealed.number! })).number),
          );
          if (known.length > 0 && !known.includes(dto.number)) signs.push({ signId: randomUUID(), sign: 'second_passport' });
        }
      }
      const secret: Record<string, string> = { number: dto.number, ...(dto.healthResult ? { healthResult: dto.healthResult } : {}) };
      const document: PlacementDocument = {
        documentId,
        kind: dto.kind,
        issuer: dto.issuer,
        issuedOn: dto.issuedOn,
        expiresOn: dto.expiresOn ?? null,
        verifiedBy: context.actor!.id,
        verifiedOn: dto.on ?? this.clock.today(context.occurredAt),
        sealed: await this.vault.seal(subjectId, secret),
        ...(dto.acknowledgedByVillageHead !== undefined ? { acknowledgedByVillageHead: dto.acknowledgedByVillageHead } : {}),
        ...(dto.jobOrderNumber !== undefined ? { jobOrderNumber: dto.jobOrderNumber } : {}),
      };
      return { type: 'RecordDocument', document, signs };
    };
    try {
      const written = await this.steps.run(placementId, build, dto.on, context, ifMatch);
      return { ...written, documentId, ...(signs.length ? { warningSigns: signs } : {}) };
    } catch (error) {
      if (reservedFor) await this.vault.release('passport', dto.number, reservedFor);
      throw error;
    }
  }
}

@PlacementsRoute()
export class RecordDocumentRoute extends PlacementRoutes {
  @Post(':id/documents')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiCreatedResponse({
    description:
      '`{ id, revision, documentId, warningSigns? }`: a passport number another person holds, or a second passport for this person, is recorded with a warning sign (a prevention record opens; a supervisor resolves it)',
  })
  @ApiProblems(400, 404, 409, 412, 422)
  async document(
    @Param('id', UUID) id: string,
    @Body() body: RecordDocumentDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new RecordPlacementDocument(id, body, context, ifMatch));
    return {
      ...revisionResponse(response, written.id, written.revision, written.position),
      documentId: written.documentId!,
      ...(written.warningSigns ? { warningSigns: written.warningSigns } : {}),
    };
  }
}
