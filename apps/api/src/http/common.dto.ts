import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** A command whose only input is why. */
export class ReasonDto {
  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** A command with no input: any field sent is refused (400). */
export class EmptyDto {}
