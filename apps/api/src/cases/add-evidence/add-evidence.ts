import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class EvidenceDto {
  @ApiProperty({
    description: 'SHA-256 of the file, kept outside Jejak (no file bodies in events)',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 hex digest' })
  sha256!: string;

  @ApiProperty({ description: 'stored sealed' })
  @IsString()
  @Length(1, 1000)
  description!: string;
}

@CasesRoute()
export class AddEvidenceRoute extends CaseRoutes {
  @Post(':id/evidence')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  evidence(
    @Param('id', UUID) id: string,
    @Body() b: EvidenceDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const evidenceId = randomUUID();
    return this.act(id, { type: 'AddEvidence', evidenceId, sha256: b.sha256 }, { description: b.description }, c, m, r, { evidenceId });
  }
}
