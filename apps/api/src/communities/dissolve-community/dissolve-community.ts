import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_COMMUNITY } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { CommunitiesRoute, CommunityRoutes, PROBLEMS, UUID } from '../communities.routes';

export class DissolutionDto {
  @ApiProperty({ example: 'merged with KKBM Mekarsari', description: 'about the community, not a person: stored as written' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @DateField({ example: '2026-10-01', description: 'the day it was dissolved; defaults to today', optional: true })
  on?: string;
}

@CommunitiesRoute()
export class DissolveCommunityRoute extends CommunityRoutes {
  @CommandRoute(':id/dissolution')
  // The officers who run it, or their supervisor.
  @Allow(['officer', 'supervisor'], IN_COMMUNITY)
  @ApiProblems(...PROBLEMS)
  dissolve(
    @Param('id', UUID) id: string,
    @Body() b: DissolutionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'DissolveCommunity', reason: b.reason }, {}, b.on, c, m, r);
  }
}
