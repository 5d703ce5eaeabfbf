import { randomUUID } from 'node:crypto';

import { CATEGORIES, type Category } from '@jejak/accompaniment';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

export class CaseRequestDto {
  @ApiProperty({ enum: CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @ApiPropertyOptional({
    example: 'KH',
    description: "the record's destination when left out; the case's destination is unknown when neither names one",
  })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry?: string;

  @ApiProperty({ description: "what the case is about; stored sealed with the person's key" })
  @IsString()
  @Length(1, 5000)
  complaint!: string;
}

@PreventionsRoute()
export class RequestCaseRoute extends PreventionRoutes {
  @CommandRoute(':id/case-request')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: '`{ id, revision, caseId }`: a process manager opens the case, linked both ways' })
  @ApiProblems(...PROBLEMS)
  requestCase(
    @Param('id', UUID) id: string,
    @Body() b: CaseRequestDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const caseId = randomUUID();
    return this.act(
      id,
      {
        type: 'RequestCase',
        caseId,
        categories: b.categories,
        categoryTokens: [],
        sexToken: null,
        destinationCountry: b.destinationCountry ?? null,
      },
      { complaint: b.complaint },
      c,
      m,
      r,
      { caseId },
    );
  }
}
