import { ENQUIRY_CHANNELS, ENQUIRY_OUTCOMES, REFERRAL_TARGETS } from '@jejak/information';
import type { RequestContext } from '@jejak/kernel';
import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class EnquiryListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'received on or after this day', optional: true })
  receivedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'received on or before this day', optional: true })
  receivedTo?: string;

  @ApiPropertyOptional({ example: 'required_documents' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  topic?: string;

  @ApiPropertyOptional({ enum: ENQUIRY_CHANNELS })
  @IsOptional()
  @IsIn(ENQUIRY_CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ enum: ENQUIRY_OUTCOMES })
  @IsOptional()
  @IsIn(ENQUIRY_OUTCOMES)
  outcome?: string;

  @ApiPropertyOptional({ enum: REFERRAL_TARGETS })
  @IsOptional()
  @IsIn(REFERRAL_TARGETS)
  referredTo?: string;
}

@ApiTags('information services')
@ApiAuthenticated()
@Controller('enquiries')
export class EnquiryListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: '`{ items, nextCursor }`: enquiries within your territory, latest first (no question or answer: they are on the record)',
  })
  @ApiProblems(400, 503)
  async enquiries(@Query() q: EnquiryListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('information', minPosition(min));
    const { receivedFrom: from, receivedTo: to, ...rest } = q;
    return this.lists.information('enquiry', { ...rest, from, to }, context.actor!);
  }
}
