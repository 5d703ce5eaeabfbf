import { CATEGORIES, type Category, URGENCIES, type Urgency } from '@jejak/accompaniment';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class ClassifyDto {
  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true, description: 'refined categories; the intake ones are kept when absent' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(CATEGORIES, { each: true })
  categories?: Category[];
}

@CasesRoute()
export class ClassifyCaseRoute extends CaseRoutes {
  @CommandRoute(':id/classification')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  classify(
    @Param('id', UUID) id: string,
    @Body() b: ClassifyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ClassifyCase', urgency: b.urgency, categories: b.categories ?? null }, {}, c, m, r);
  }
}
