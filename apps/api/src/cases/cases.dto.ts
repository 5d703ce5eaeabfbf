import {
  ACTION_KINDS,
  type ActionKind,
  CATEGORIES,
  type Category,
  type Channel,
  CHANNELS,
  type Outcome,
  OUTCOMES,
  REFERRAL_TARGETS,
  type ReferralTarget,
  type Relationship,
  RELATIONSHIPS,
  URGENCIES,
  type Urgency,
} from '@jejak/accompaniment';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { Optional } from '../http/optional';
import { NameField, NikField, PhoneField, SexField } from '../subjects/person-fields';

/** Whole rupiah: no fractions, no negative amounts, bounded well below 2^53. */
const RUPIAH = [IsInt({ message: 'must be a whole number of rupiah' }), Min(0), Max(1_000_000_000_000_000)];
const Rupiah = (): PropertyDecorator => (target, key) => RUPIAH.forEach((d) => d(target, key));

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

export class VerifyDto {
  @ApiProperty({ enum: ['procedural', 'non_procedural', 'unknown'] })
  @IsIn(['procedural', 'non_procedural', 'unknown'])
  procedural!: 'procedural' | 'non_procedural' | 'unknown';

  @ApiPropertyOptional({ description: 'the placement stream, when the placement was facilitated here' })
  @Optional()
  @IsUUID()
  placementId?: string;
}

export class ClassifyDto {
  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true, description: 'refined categories; the intake ones are kept when absent' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories?: Category[];
}

export class AssignDto {
  @ApiProperty({ example: 'officer-2' })
  @IsString()
  @Length(1, 200)
  officerId!: string;

  @ApiPropertyOptional({ description: 'required when reassigning' })
  @Optional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

const STARTABLE = ACTION_KINDS.filter((k) => k !== 'referral') as Exclude<ActionKind, 'referral'>[];

export class StartActionDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  actionId?: string;

  @ApiProperty({ enum: STARTABLE, description: 'referrals have their own route' })
  @IsIn(STARTABLE)
  kind!: Exclude<ActionKind, 'referral'>;

  @ApiPropertyOptional({ description: 'claims: the amount claimed, in whole rupiah' })
  @Optional()
  @Rupiah()
  amountClaimed?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

export class ReferralDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  actionId?: string;

  @ApiProperty({ enum: REFERRAL_TARGETS })
  @IsIn(REFERRAL_TARGETS)
  to!: ReferralTarget;

  @ApiProperty({ example: 'KBRI Kuala Lumpur' })
  @IsString()
  @Length(1, 200)
  organisation!: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

export class ActionOutcomeDto {
  @ApiProperty({
    enum: ['accepted', 'declined', 'no_response', 'completed'],
    example: 'no_response',
    description:
      'a referral is `accepted` or `declined` by the body referred to; `no_response` records its silence: once JEJAK_REFERRAL_NO_RESPONSE_DAYS (default 30) have passed since the referral, or earlier with a `reason`',
  })
  @IsIn(['accepted', 'declined', 'no_response', 'completed'])
  outcome!: 'accepted' | 'declined' | 'no_response' | 'completed';

  @ApiPropertyOptional({ description: 'why the referral is recorded as unanswered before the waiting period; stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'claims: the amount paid, in whole rupiah, when known' })
  @Optional()
  @Rupiah()
  amountPaid?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

export class MinutesDto {
  @ApiProperty({ description: 'the mediation minutes; stored sealed' })
  @IsString()
  @Length(1, 20000)
  minutes!: string;
}

export class NoteDto {
  @ApiProperty({ description: 'stored sealed' })
  @IsString()
  @Length(1, 5000)
  text!: string;
}

export class EvidenceDto {
  @ApiProperty({
    description: 'SHA-256 of the file, kept outside Jejak (no file bodies in events)',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 hex digest' })
  sha256!: string;

  @ApiProperty({ description: 'stored sealed' })
  @IsString()
  @Length(1, 1000)
  description!: string;
}

export class ResolutionDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome!: Outcome;

  @ApiPropertyOptional({ description: 'in whole rupiah: required for `wages_recovered`; for `compensation_paid` when known' })
  @Optional()
  @Rupiah()
  amountRecovered?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  summary?: string;
}

export { EmptyDto, ReasonDto } from '../http/common.dto';
