import { randomUUID } from 'node:crypto';

import { CATEGORIES, type Category } from '@jejak/accompaniment';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import {
  checkReferral,
  ENQUIRY_CHANNELS,
  ENQUIRY_OUTCOMES,
  type EnquiryChannel,
  enquiryDecider,
  type EnquiryOutcome,
  enquiryStream,
  type Referral,
  REFERRAL_TARGETS,
  type ReferralTarget,
} from '@jejak/information';
import { occurredAt, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { placementDecider } from '@jejak/placement';
import { registrationFacts } from '@jejak/process-managers';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { requireConsent } from '../../http/consent';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { sealGiven, sexToken, splitCategories } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { ValidationFailed } from '../../http/problem';
import { requireSubjectInScope } from '../../http/references';
import { revisionResponse, type Written } from '../../http/revision';
import { alongside, SubjectRegistry } from '../../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../../tokens';
import { readCatalog } from '../information.handlers';
import { EnquiriesRoute, InformationRoutes } from '../information.routes';

export class EnquiryReferralDto {
  @ApiProperty({ enum: REFERRAL_TARGETS, description: 'the workflow the enquiry is referred to' })
  @IsIn(REFERRAL_TARGETS)
  to!: ReferralTarget;

  @ApiPropertyOptional({ format: 'uuid', description: 'the id of the record it opens, chosen by the client (offline capture)' })
  @Optional()
  @IsUUID()
  recordId?: string;

  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true, description: 'for a case: what it is about (required)' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories?: Category[];

  @ApiPropertyOptional({ description: "for a case: the complaint (required); stored sealed with the enquirer's key" })
  @Optional()
  @IsString()
  @Length(1, 5000)
  complaint?: string;

  @ApiPropertyOptional({ example: 'MY', description: 'for a case or a prevention record: the destination country, when known' })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry?: string;
}

export class RecordEnquiryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  enquiryId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village that received the enquiry: the record belongs to it' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @DateField({ example: '2026-03-10', description: 'the day it was received; defaults to today', optional: true })
  receivedOn?: string;

  @ApiProperty({ enum: ENQUIRY_CHANNELS })
  @IsIn(ENQUIRY_CHANNELS)
  channel!: EnquiryChannel;

  @ApiProperty({ example: 'required_documents', description: 'a topic code from GET /information-topics' })
  @IsString()
  @Length(1, 64)
  topic!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the person who asked, when they are on record (an anonymous caller is not)' })
  @Optional()
  @IsUUID()
  enquirerSubjectId?: string;

  @ApiPropertyOptional({ description: "what was asked; stored sealed (with the enquirer's key, or the enquiry's own)" })
  @Optional()
  @IsString()
  @Length(1, 5000)
  question?: string;

  @ApiPropertyOptional({ description: 'what the officer answered; stored sealed like the question' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  answer?: string;

  @ApiProperty({ enum: ENQUIRY_OUTCOMES })
  @IsIn(ENQUIRY_OUTCOMES)
  outcome!: EnquiryOutcome;

  @ApiPropertyOptional({ type: EnquiryReferralDto, description: 'where a referred enquiry goes: a process manager opens that record' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => EnquiryReferralDto)
  referral?: EnquiryReferralDto;
}

export interface EnquiryWritten extends Written {
  /** The record the referral opens (opened by a process manager, linked both ways). */
  readonly referral: { readonly to: ReferralTarget; readonly recordId: string } | null;
}

export class RecordEnquiry extends Command<EnquiryWritten> {
  constructor(
    readonly dto: RecordEnquiryDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

const PURPOSE = { placement: 'placement_facilitation', case: 'case_accompaniment', prevention: 'prevention' } as const;

/**
 * Records an enquiry. A referral is checked here against what opening its record needs (the enquirer's
 * consent for that purpose, a placement's NIK, birth date and age, a case's categories and complaint), so
 * the process manager that opens it later is not handed an event it cannot act on.
 */
@CommandHandler(RecordEnquiry)
export class RecordEnquiryHandler implements ICommandHandler<RecordEnquiry> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly registry: SubjectRegistry,
  ) {}

  async execute({ dto, context }: RecordEnquiry): Promise<EnquiryWritten> {
    const enquiryId = (dto.enquiryId ?? randomUUID()).toLowerCase();
    const enquirer = dto.enquirerSubjectId?.toLowerCase() ?? null;
    if (enquirer) {
      await requireSubjectInScope(this.store, 'enquirerSubjectId', enquirer, context);
      await requireConsent(this.store, enquirer, 'information_services', context.now, false);
    }
    checkReferral(dto.outcome, dto.referral?.to ?? null, enquirer);
    const envelope = this.clock.envelope(context);
    const referral = dto.referral ? await this.referral(dto, enquirer, context) : null;
    const { catalog } = await readCatalog(this.store);
    const clear = { question: dto.question, answer: dto.answer };
    const command = {
      type: 'RecordEnquiry' as const,
      enquiryId,
      areaCode: dto.areaCode,
      receivedOn: dto.receivedOn ?? this.clock.today(envelope.at),
      channel: dto.channel,
      topic: dto.topic,
      enquirerSubjectId: enquirer,
      outcome: dto.outcome,
      referral,
      sealed: {},
      catalog: catalog.codes,
      ...envelope,
    };
    // Refuse before registering anyone or sealing anything.
    enquiryDecider.decide(command, enquiryDecider.initialState);
    const result = await SubjectRegistry.together(async (people) => {
      // An anonymous caller's words get a data subject of their own (the enquiry's id), written with the
      // enquiry in one append, so that they are erased like any person's, by POST /subjects/<id>/erasure.
      if (!enquirer && (clear.question !== undefined || clear.answer !== undefined))
        people.push(
          await this.registry.prepare({
            subjectId: enquiryId,
            kind: 'complainant',
            areaCode: dto.areaCode,
            consentBasis: 'consent',
            personal: {},
            context,
          }),
        );
      return execute(
        this.store,
        enquiryStream(enquiryId),
        enquiryDecider,
        { ...command, sealed: await sealGiven(this.vault, enquirer ?? enquiryId, clear) },
        { metadata: eventMetadata(context), alongside: alongside(people) },
      );
    });
    return {
      id: enquiryId,
      revision: result.revision,
      ...(result.position !== undefined ? { position: result.position } : {}),
      referral: referral ? { to: referral.to, recordId: referral.recordId } : null,
    };
  }

  /** What opening the referred record needs, prepared (and checked) now; checkReferral saw to an enquirer for a placement or a case. */
  private async referral(dto: RecordEnquiryDto, enquirer: string | null, context: RequestContext): Promise<Referral> {
    const asked = dto.referral!;
    const recordId = (asked.recordId ?? randomUUID()).toLowerCase();
    await requireConsent(this.store, enquirer, PURPOSE[asked.to], context.now, false);
    switch (asked.to) {
      case 'placement': {
        const facts = await registrationFacts({ store: this.store, vault: this.vault }, enquirer!);
        placementDecider.decide(
          {
            type: 'RegisterPlacement',
            placementId: recordId,
            subjectId: enquirer!,
            areaCode: dto.areaCode,
            ...facts,
            ...this.clock.envelope(context),
            on: this.clock.today(occurredAt(context)),
          },
          placementDecider.initialState,
        );
        return { to: 'placement', recordId };
      }
      case 'prevention':
        return { to: 'prevention', recordId, destinationCountry: asked.destinationCountry ?? null };
      case 'case': {
        const missing = [
          ...(asked.categories ? [] : [{ field: 'referral.categories', message: 'a referral to a case names what it is about' }]),
          ...(asked.complaint ? [] : [{ field: 'referral.complaint', message: 'a referral to a case carries the complaint' }]),
        ];
        if (missing.length > 0) throw new ValidationFailed(missing);
        const { sensitiveCategories, ...categories } = splitCategories(this.vault, asked.categories!);
        const { sex } = await this.registry.view(enquirer!, ['sex']);
        return {
          to: 'case',
          recordId,
          ...categories,
          sexToken: sexToken(this.vault, sex),
          destinationCountry: asked.destinationCountry ?? null,
          sealed: await sealGiven(this.vault, enquirer!, { complaint: asked.complaint, sensitiveCategories }),
        };
      }
    }
  }
}

@EnquiriesRoute()
export class RecordEnquiryRoute extends InformationRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision, referral }`, Location and ETag; a referral names the record it opens' })
  @ApiProblems(400, 403, 409, 422)
  async record(@Body() body: RecordEnquiryDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RecordEnquiry(body, context));
    response.setHeader('Location', `/enquiries/${written.id}`);
    return { ...revisionResponse(response, written.id, written.revision, written.position), referral: written.referral };
  }
}
