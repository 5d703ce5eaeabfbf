import { SUBJECT_KINDS, type SubjectKind } from '@jejak/personal-data';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';

import { Optional } from '../http/optional';
import { AddressField, BirthDateField, NameField, NikField, PhoneField, SexField } from './person-fields';

/** The personal fields of a data subject. Every one is sealed with the subject's own key before storage. */
export class PersonalFieldsDto {
  @NameField(true) name?: string;
  @NikField() nik?: string;
  @BirthDateField() birthDate?: string;
  @SexField() sex?: 'F' | 'M';
  @PhoneField() phone?: string;
  @AddressField() address?: string;

  @ApiPropertyOptional({
    description: 'SHA-256 of a photo kept outside Jejak',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Optional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 hex digest' })
  photoHash?: string;
}

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

export class CorrectSubjectDto extends PersonalFieldsDto {
  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class NikLookupDto {
  @ApiProperty({ example: '3201014501900001' })
  @Matches(/^\d{16}$/, { message: 'must be 16 digits' })
  nik!: string;
}

export class LegalHoldDto {
  @ApiProperty({ example: 'TPPO case before the Cibinong district court' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ example: 'court order 12/Pid.Sus/2026' })
  @IsString()
  @Length(1, 200)
  legalBasis!: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  reference?: string;
}

export class ErasureDto {
  @ApiProperty({ example: 'request of the data subject, received 2026-11-28' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ example: 'UU 27/2022 art. 8' })
  @IsString()
  @Length(1, 200)
  legalBasis!: string;
}

export { ReasonDto } from '../http/common.dto';
