import { ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';

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

export { ReasonDto } from '../http/common.dto';
