import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class NoteDto {
  @ApiProperty({ description: 'stored sealed' })
  @IsString()
  @Length(1, 5000)
  text!: string;
}

@CasesRoute()
export class AddNoteRoute extends CaseRoutes {
  @Post(':id/notes')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  note(
    @Param('id', UUID) id: string,
    @Body() b: NoteDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const noteId = randomUUID();
    return this.act(id, { type: 'AddNote', noteId }, { text: b.text }, c, m, r, { noteId });
  }
}
