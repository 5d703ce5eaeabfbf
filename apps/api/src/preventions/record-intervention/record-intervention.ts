import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { type InterventionKind, INTERVENTIONS } from '@jejak/prevention';
import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

export class InterventionDto {
  @ApiProperty({ enum: INTERVENTIONS })
  @IsIn(INTERVENTIONS)
  kind!: InterventionKind;

  @DateField({ example: '2026-11-20', optional: true })
  on?: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@PreventionsRoute()
export class RecordInterventionRoute extends PreventionRoutes {
  @Post(':id/interventions')
  @Allow(['officer'], IN_PREVENTION)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  intervene(
    @Param('id', UUID) id: string,
    @Body() b: InterventionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const interventionId = randomUUID();
    return this.act(
      id,
      { type: 'RecordIntervention', interventionId, kind: b.kind, on: b.on ?? this.clock.today(c.occurredAt) },
      { note: b.note },
      c,
      m,
      r,
      { interventionId },
    );
  }
}
