import {
  DOCUMENT_KINDS,
  type DocumentKind,
  EMPLOYER_TYPES,
  type EmployerType,
  INTAKE_DOCUMENTS,
  type Sector,
  SECTORS,
} from '@jejak/placement';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { DateField } from '../http/dates';
import { Optional } from '../http/optional';
import { AddressField, BirthDateField, NameField, PhoneField, SexField } from '../subjects/person-fields';

/** `on`: the date the step happened, as the officer records it; today (Asia/Jakarta by default) if absent. */
export class DatedDto {
  @DateField({ example: '2026-11-29', description: 'when it happened; defaults to today', optional: true })
  on?: string;
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

export class JobOrderDto extends DatedDto {
  @ApiProperty({ enum: ['P3MI', 'G2G'] })
  @IsIn(['P3MI', 'G2G'])
  scheme!: 'P3MI' | 'G2G';

  @ApiPropertyOptional({ description: 'the licensed placement company (P3MI scheme)' })
  @Optional()
  @IsUUID()
  agencyId?: string;

  @ApiProperty({ example: 'JO-2026-0042' })
  @IsString()
  @Length(1, 100)
  jobOrderNumber!: string;

  @ApiProperty({ example: 'MY', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry!: string;

  @ApiProperty({ enum: SECTORS })
  @IsIn(SECTORS)
  sector!: Sector;

  @ApiProperty({
    enum: EMPLOYER_TYPES,
    example: 'legal_entity',
    description:
      'who employs the worker: an `individual` (a household, whatever the job) or a `legal_entity`; the Kepmenaker 260/2015 moratorium stops individual employers',
  })
  @IsIn(EMPLOYER_TYPES)
  employerType!: EmployerType;

  @ApiPropertyOptional({
    example: 'SIP2MI 0042/2026',
    description:
      'P3MI scheme: the recruitment permit (SIP2MI) the company recruits under, on record with the company, for this destination and in force on the date',
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  recruitmentPermitNumber?: string;

  @ApiProperty({ example: 'production operator' })
  @IsString()
  @Length(1, 200)
  position!: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  employer?: string;
}

export class DocumentStepDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  documentId!: string;
}

export class AgreementDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  agreementDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  familyPermissionDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  maritalStatusDocumentId!: string;

  @ApiProperty({ example: 'LTSA Kabupaten Bogor' })
  @IsString()
  @Length(1, 200)
  ltsa!: string;
}

export class DocumentsCompletionDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  passportDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  visaDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  contractDocumentId!: string;
}

export class OrientationDto extends DatedDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  documentId?: string;

  @ApiProperty({ example: 'BP3MI Jawa Barat' })
  @IsString()
  @Length(1, 200)
  place!: string;
}

export class DepartureDto extends DatedDto {
  @ApiProperty({ example: 'CGK-KUL' })
  @IsString()
  @Length(1, 200)
  route!: string;
}

export class ArrivalDto extends DatedDto {
  @ApiProperty({ example: 'KBRI Kuala Lumpur' })
  @IsString()
  @Length(1, 200)
  mission!: string;
}

export class ReturnDto extends DatedDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

/** Why a placement closes (withdrawal, failure to depart), and on which day. */
export class DatedReasonDto extends DatedDto {
  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** A placement found non-procedural: why, and the warning signs seen. */
export class NonProceduralFlagDto extends DatedReasonDto {
  @ApiProperty({ example: ['tourist_visa_for_work', 'unlicensed_recruiter'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[a-z_]{2,60}$/, { each: true, message: 'each flag must be a snake_case code' })
  flags!: string[];
}

export class LicenseAgencyDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  agencyId?: string;

  @ApiProperty({ example: 'PT Maju Bersama' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'SIP3MI 123/2024' })
  @IsString()
  @Length(1, 100)
  licenceNumber!: string;

  @DateField({ example: '2024-01-01' })
  validFrom!: string;

  @DateField({ example: '2029-12-31' })
  validUntil!: string;
}

export class WarningSignResolutionDto extends DatedDto {
  @ApiProperty({
    enum: ['cleared', 'confirmed'],
    description:
      '`cleared`: no irregularity (a renewed passport, a typing error); `confirmed`: the passport is a duplicate and cannot be used',
  })
  @IsIn(['cleared', 'confirmed'])
  decision!: 'cleared' | 'confirmed';

  @ApiProperty({ example: 'immigration confirmed the passport was renewed in 2025' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class RecruitmentPermitDto {
  @ApiProperty({ example: 'SIP2MI 0042/2026' })
  @IsString()
  @Length(1, 100)
  permitNumber!: string;

  @ApiProperty({ example: 'MY', description: 'the destination the permit allows recruiting for (ISO 3166-1 alpha-2)' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry!: string;

  @DateField({ example: '2026-01-01' })
  validFrom!: string;

  @DateField({ example: '2027-12-31' })
  validUntil!: string;
}

export class RenewLicenceDto {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  licenceNumber!: string;

  @DateField()
  validUntil!: string;
}

export class RevokeLicenceDto {
  @DateField()
  revokedOn!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class MoratoriumDto {
  @ApiProperty({ example: 'SA' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  country!: string;

  @ApiProperty({ enum: SECTORS })
  @IsIn(SECTORS)
  sector!: Sector;

  @ApiProperty({ example: 'Kepmenaker 260/2015' })
  @IsString()
  @Length(1, 200)
  legalBasis!: string;

  @DateField({
    example: '2015-07-01',
    description:
      'the day the decree takes effect (declared) or stops (lifted); defaults to today. Steps are judged by the list as it stood on their own date',
    optional: true,
  })
  effectiveOn?: string;
}

export class MoratoriumListQuery {
  @DateField({ example: '2026-11-29', description: 'the day to show the list for; defaults to today', optional: true })
  on?: string;
}
