import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

import type { FieldChange } from './replay';

export class DiffQuery {
  @ApiProperty({ description: 'the revision to compare from (its state is the starting point)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  from!: number;

  @ApiProperty({ description: 'the revision to compare to' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  to!: number;
}

export type Diff = { id: string; from: number; to: number; changes: FieldChange[] };
