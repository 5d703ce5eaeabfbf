import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SESSION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { ActOnSession } from '../information.handlers';
import { InformationRoutes, PROBLEMS, SessionsRoute, UUID } from '../information.routes';

export class AddAttendeesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'members on record who attended; those already named are left as they are' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  subjectIds!: string[];
}

@SessionsRoute()
export class AddAttendeesRoute extends InformationRoutes {
  @CommandRoute(':id/attendees')
  @Allow(['officer'], IN_SESSION)
  @ApiProblems(...PROBLEMS)
  async add(
    @Param('id', UUID) id: string,
    @Body() b: AddAttendeesDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const subjectIds = b.subjectIds.map((s) => s.toLowerCase());
    const written = await this.commands.execute(new ActOnSession(id, { type: 'AddAttendees', subjectIds }, c, m));
    return revisionResponse(r, written.id, written.revision, written.position);
  }
}
