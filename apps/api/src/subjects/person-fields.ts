import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

import { IsCalendarDate, NotFuture } from '../http/dates';
import { Optional } from '../http/optional';

/**
 * The validation of each personal field, shared by every DTO that carries a person (subjects, workers,
 * complainants, people at risk, recruiters), so that a name or a phone number is checked the same way
 * wherever it enters. `optional` fields may be absent; present, they are checked all the same.
 */
const field = (optional: boolean, doc: { example?: string; description?: string; enum?: string[] }, ...checks: PropertyDecorator[]) =>
  applyDecorators(...(optional ? [ApiPropertyOptional(doc), Optional()] : [ApiProperty(doc)]), ...checks);

export const NameField = (optional = false) => field(optional, { example: 'Siti Aminah' }, IsString(), Length(1, 200));

/** Format only: whether the province code is valid is a guard of the workflow (409) or of the subject (400). */
export const NikField = (optional = true) =>
  field(optional, { example: '3201014501900001', description: '16 digits' }, Matches(/^\d{16}$/, { message: 'must be 16 digits' }));

export const BirthDateField = (optional = true) => field(optional, { example: '1990-01-05' }, IsCalendarDate(), NotFuture());

export const SexField = () => field(true, { enum: ['F', 'M'] }, IsIn(['F', 'M']));

export const PhoneField = () =>
  field(true, { example: '+62 812 3456 7890' }, Matches(/^\+?[0-9 ()-]{6,30}$/, { message: 'must be a phone number' }));

export const AddressField = () => field(true, {}, IsString(), Length(1, 500));
