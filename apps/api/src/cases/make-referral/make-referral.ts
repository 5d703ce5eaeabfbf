import { randomUUID } from 'node:crypto';

import { REFERRAL_TARGETS, type ReferralTarget } from '@jejak/accompaniment';
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
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class ReferralDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  actionId?: string;

  @ApiProperty({ enum: REFERRAL_TARGETS })
  @IsIn(REFERRAL_TARGETS)
  to!: ReferralTarget;

  @ApiProperty({ example: 'KBRI Kuala Lumpur' })
  @IsString()
  @Length(1, 200)
  organisation!: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@CasesRoute()
export class MakeReferralRoute extends CaseRoutes {
  @Post(':id/referrals')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{ id, revision, actionId }`: a referral is an action of its own' })
  @ApiProblems(...PROBLEMS)
  refer(
    @Param('id', UUID) id: string,
    @Body() b: ReferralDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const actionId = (b.actionId ?? randomUUID()).toLowerCase();
    return this.act(id, { type: 'MakeReferral', actionId, to: b.to, organisation: b.organisation }, { note: b.note }, c, m, r, {
      actionId,
    });
  }
}
