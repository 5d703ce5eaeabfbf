import { REPAYMENT_STATUSES, type RepaymentStatus } from '@jejak/enterprise';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_KUR } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { EnterpriseRoutes, KurRoute, PROBLEMS, UUID } from '../enterprise.routes';
import { ActOnKur, type KurStep } from '../kur.handlers';

export class KurAmountDto {
  @ApiProperty({ example: 20000000, description: "whole rupiah; stored sealed with the applicant's key" })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  amount!: number;

  @DateField({ example: '2026-04-10', description: 'the day it happened; defaults to today', optional: true })
  on?: string;
}

export class KurRefusalDto {
  @ApiProperty({ example: 'collateral not accepted', description: "stored sealed with the applicant's key" })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @DateField({ example: '2026-04-10', description: 'the day of the refusal; defaults to today', optional: true })
  on?: string;
}

export class KurRepaymentDto {
  @ApiProperty({ enum: REPAYMENT_STATUSES })
  @IsIn(REPAYMENT_STATUSES)
  status!: RepaymentStatus;

  @DateField({ example: '2026-06-01', description: 'the day the status was learnt; defaults to today', optional: true })
  on?: string;
}

@KurRoute()
export class DecideKurRoute extends EnterpriseRoutes {
  private async step(id: string, step: KurStep, on: string | undefined, c: RequestContext, m: bigint | undefined, r: Response) {
    const written = await this.commands.execute(new ActOnKur(id, step, on, c, m));
    return revisionResponse(r, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/approval')
  @Allow(['officer'], IN_KUR)
  @ApiProblems(...PROBLEMS)
  approve(
    @Param('id', UUID) id: string,
    @Body() b: KurAmountDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.step(id, { type: 'ApproveKur', amount: b.amount }, b.on, c, m, r);
  }

  @CommandRoute(':id/refusal')
  @Allow(['officer'], IN_KUR)
  @ApiProblems(...PROBLEMS)
  refuse(
    @Param('id', UUID) id: string,
    @Body() b: KurRefusalDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.step(id, { type: 'RefuseKur', reason: b.reason }, b.on, c, m, r);
  }

  @CommandRoute(':id/disbursement')
  @Allow(['officer'], IN_KUR)
  @ApiProblems(...PROBLEMS)
  disburse(
    @Param('id', UUID) id: string,
    @Body() b: KurAmountDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.step(id, { type: 'DisburseKur', amount: b.amount }, b.on, c, m, r);
  }

  @CommandRoute(':id/repayment')
  @Allow(['officer'], IN_KUR)
  @ApiProblems(...PROBLEMS)
  repayment(
    @Param('id', UUID) id: string,
    @Body() b: KurRepaymentDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.step(id, { type: 'RecordRepayment', status: b.status }, b.on, c, m, r);
  }
}
