import { CATEGORIES, type Category } from '@jejak/accompaniment';
import {
  type Flag,
  FLAGS,
  type InterventionKind,
  INTERVENTIONS,
  OUTCOMES,
  type PreventionOutcome,
  type Source,
  SOURCES,
} from '@jejak/prevention';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';

import { DateField } from '../http/dates';
import { Optional } from '../http/optional';
import { BirthDateField, NameField, NikField, PhoneField, SexField } from '../subjects/person-fields';

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

export class FlagDto {
  @ApiProperty({ enum: FLAGS })
  @IsIn(FLAGS)
  flag!: Flag;

  @ApiPropertyOptional({ description: 'the evidence; stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 2000)
  evidence?: string;
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

export class VerificationDto {
  @ApiProperty({ enum: ['confirmed', 'dismissed'] })
  @IsIn(['confirmed', 'dismissed'])
  result!: 'confirmed' | 'dismissed';

  @ApiPropertyOptional({ description: 'required when dismissed' })
  @Optional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class InterventionDto {
  @ApiProperty({ enum: INTERVENTIONS })
  @IsIn(INTERVENTIONS)
  kind!: InterventionKind;

  @DateField({ example: '2026-11-20', optional: true })
  on?: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

export class DeferralAnswerDto {
  @ApiProperty({ enum: ['granted', 'refused'] })
  @IsIn(['granted', 'refused'])
  answer!: 'granted' | 'refused';

  @DateField({ optional: true })
  on?: string;
}

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome!: PreventionOutcome;

  @ApiPropertyOptional({ description: 'redirected: an existing placement to link instead of registering one' })
  @Optional()
  @IsUUID()
  placementId?: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

export class CaseRequestDto {
  @ApiProperty({ enum: CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @ApiPropertyOptional({
    example: 'KH',
    description: "the record's destination when left out; the case's destination is unknown when neither names one",
  })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry?: string;

  @ApiProperty({ description: "what the case is about; stored sealed with the person's key" })
  @IsString()
  @Length(1, 5000)
  complaint!: string;
}

export { EmptyDto, ReasonDto } from '../http/common.dto';
