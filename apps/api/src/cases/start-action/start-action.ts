import { randomUUID } from 'node:crypto';

import { type ActionKind } from '@jejak/accompaniment';
import type { RequestContext } from '@jejak/kernel';
import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { Rupiah, STARTABLE } from '../cases.dto';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class StartActionDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  actionId?: string;

  @ApiProperty({ enum: STARTABLE, description: 'referrals have their own route' })
  @IsIn(STARTABLE)
  kind!: Exclude<ActionKind, 'referral'>;

  @ApiPropertyOptional({ description: 'claims: the amount claimed, in whole rupiah' })
  @Optional()
  @Rupiah()
  amountClaimed?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@CasesRoute()
export class StartActionRoute extends CaseRoutes {
  @Post(':id/actions')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{ id, revision, actionId }`' })
  @ApiProblems(...PROBLEMS)
  startAction(
    @Param('id', UUID) id: string,
    @Body() b: StartActionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const actionId = (b.actionId ?? randomUUID()).toLowerCase();
    return this.act(
      id,
      { type: 'StartAction', actionId, kind: b.kind, amountClaimed: b.amountClaimed ?? null },
      { note: b.note },
      c,
      m,
      r,
      { actionId },
    );
  }
}
