import { type Flag, FLAGS } from '@jejak/prevention';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

import { Optional } from '../http/optional';
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

export { EmptyDto, ReasonDto } from '../http/common.dto';
