import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SESSION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { ActOnSession } from '../information.handlers';
import { InformationRoutes, PROBLEMS, SessionsRoute, UUID } from '../information.routes';

export class CorrectPeopleReachedDto {
  @ApiProperty({ example: 38 })
  @IsInt()
  @Min(0)
  @Max(100_000)
  peopleReached!: number;

  @ApiProperty({ example: 'counted twice at the door' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@SessionsRoute()
export class CorrectPeopleReachedRoute extends InformationRoutes {
  /** A correction of the count is an event beside the first one, never an overwrite. */
  @CommandRoute(':id/people-reached')
  @Allow(['officer', 'supervisor'], IN_SESSION)
  @ApiProblems(...PROBLEMS)
  async correct(
    @Param('id', UUID) id: string,
    @Body() b: CorrectPeopleReachedDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const step = { type: 'CorrectPeopleReached', peopleReached: b.peopleReached, reason: b.reason } as const;
    const written = await this.commands.execute(new ActOnSession(id, step, c, m));
    return revisionResponse(r, written.id, written.revision, written.position);
  }
}
