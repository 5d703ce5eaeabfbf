import { type Sector, SECTORS } from '@jejak/placement';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';

import { DateField } from '../http/dates';

/** `on`: the date the step happened, as the officer records it; today (Asia/Jakarta by default) if absent. */
export class DatedDto {
  @DateField({ example: '2026-11-29', description: 'when it happened; defaults to today', optional: true })
  on?: string;
}

export class DocumentStepDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  documentId!: string;
}

/** Why a placement closes (withdrawal, failure to depart), and on which day. */
export class DatedReasonDto extends DatedDto {
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
