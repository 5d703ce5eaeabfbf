import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { BreachesRoute, BreachRoutes } from '../breaches.routes';
import { ActOnBreach } from '../privacy.handlers';
import { UUID } from '../subject-rights.routes';

export class BreachSubjectsDto {
  @ApiProperty({ type: String, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  subjectIds!: string[];
}

@BreachesRoute()
export class AddBreachSubjectsRoute extends BreachRoutes {
  @CommandRoute(':id/subjects')
  @Allow(['admin'])
  @ApiProblems(400, 404, 412)
  async subjects(
    @Param('id', UUID) id: string,
    @Body() body: BreachSubjectsDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnBreach(id, { kind: 'subjects', subjectIds: body.subjectIds }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
