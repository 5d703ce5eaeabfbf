import { KUR_SCHEMES, type KurScheme } from '@jejak/enterprise';
import type { RequestContext } from '@jejak/kernel';
import { Body, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse, type Written } from '../../http/revision';
import { EnterpriseRoutes, KurRoute } from '../enterprise.routes';
import { ApplyForKur } from '../kur.handlers';

export class KurApplicationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  kurId?: string;

  @ApiProperty({ example: '3201012001', description: "the applicant's village: the record belongs to it" })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ format: 'uuid', description: 'the member who applies, on record in your territory' })
  @IsUUID()
  applicantSubjectId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the business the credit is for, when on record' })
  @Optional()
  @IsUUID()
  businessId?: string;

  @ApiProperty({ example: 'BRI', description: 'the bank applied to' })
  @IsString()
  @Length(1, 100)
  bank!: string;

  @ApiProperty({ enum: KUR_SCHEMES })
  @IsIn(KUR_SCHEMES)
  scheme!: KurScheme;

  @ApiProperty({ example: 25000000, description: "amount requested, whole rupiah; stored sealed with the applicant's key" })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  amountRequested!: number;

  @DateField({ example: '2026-04-02', description: 'the day of the application; defaults to today', optional: true })
  appliedOn?: string;
}

@KurRoute()
export class ApplyForKurRoute extends EnterpriseRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async apply(@Body() body: KurApplicationDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written: Written = await this.commands.execute(new ApplyForKur(body, context));
    response.setHeader('Location', `/kur/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
