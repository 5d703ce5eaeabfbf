import { type Role, ROLES } from '@jejak/kernel';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';

const SCOPE = /^(national|province:\d{2}|regency:\d{4}|district:\d{6}|village:\d{10})$/;

export class CreateUserDto {
  @ApiProperty({ example: 'siti.aminah', description: 'lower case, 3-64 of a-z 0-9 . _ -; cannot change later' })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: 'must be 3-64 lower-case letters, digits, dot, underscore or dash' })
  username!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ example: ['village:3201012001'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: 'each scope must be national, province:NN, regency:NNNN, district:NNNNNN or village:NNNNNNNNNN' })
  scopes!: string[];

  @ApiProperty({ description: 'at least 10 characters', writeOnly: true, example: 'kebun-kopi-2026' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ example: ['province:32'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: 'each scope must be national, province:NN, regency:NNNN, district:NNNNNN or village:NNNNNNNNNN' })
  scopes!: string[];

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class LoginDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export { ReasonDto } from '../http/common.dto';
