import { BREACH_CAUSES, BREACH_DATA, NOTICE_RECIPIENTS } from '@jejak/personal-data';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';

import { IsInstant } from '../http/dates';
export class BreachDto {
  @ApiProperty({
    example: '2026-11-30T09:00:00+07:00',
    description: 'when the breach was discovered: the 3 × 24-hour notice deadline runs from it',
  })
  @IsInstant()
  discoveredAt!: string;

  @ApiProperty({ enum: BREACH_CAUSES })
  @IsIn(BREACH_CAUSES)
  cause!: (typeof BREACH_CAUSES)[number];

  @ApiProperty({ enum: BREACH_DATA, isArray: true, description: 'the kinds of personal data concerned (never the data itself)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BREACH_DATA.length)
  @IsIn(BREACH_DATA, { each: true })
  dataCategories!: (typeof BREACH_DATA)[number][];

  @ApiProperty({ type: String, isArray: true, description: 'the data subjects concerned, as far as known' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  subjectIds!: string[];
}

export class BreachNoticeDto {
  @ApiProperty({ enum: NOTICE_RECIPIENTS, description: 'the written notice to the subjects concerned, or to the authority' })
  @IsIn(NOTICE_RECIPIENTS)
  recipient!: (typeof NOTICE_RECIPIENTS)[number];

  @ApiProperty({
    example: 'Surat No. 12/KKBM/XII/2026',
    description: "the notice's reference (letter number), kept in clear: no personal data",
  })
  @IsString()
  @Length(1, 200)
  reference!: string;
}
